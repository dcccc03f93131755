/**
 * The HTTP floor of figure 1: a bare `node:http` server that answers each POST with one
 * `Queue.add` of the gateway's job (its data and options), on a connection configured as
 * the gateway's (no auto-pipelining). No GraphQL, authentication, validation, metrics or rate
 * limit: what any gateway on Node's HTTP server pays at least, measured under the same load.
 */
import http from 'node:http';
import { Queue } from 'bullmq';
import { initArgs, serve } from '../lib/ipc';
import type { HttpFloorApi, HttpFloorInit } from '../load/api';

const init = initArgs<HttpFloorInit>();
const queue = new Queue(init.queue, {
  prefix: init.prefix,
  connection: { url: init.redisUrl, maxRetriesPerRequest: 1 },
});
const JOB = { name: 'helloWorld', data: { name: 'x' } };

function answer(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString());
    queue.add(JOB.name, JOB.data, init.opts ?? undefined).then(
      (job) => answer(response, 200, JSON.stringify({ data: { enqueue: { id: `${init.queue}:${job.id}` } } })),
      (error: unknown) => answer(response, 500, JSON.stringify({ errors: [{ message: String(error) }] })),
    );
  });
});

serve<HttpFloorApi>({
  async listen() {
    await queue.waitUntilReady();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql` };
  },
});
