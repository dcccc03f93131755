import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import WebSocket from 'ws';
import { CloseCode } from '../../src/server/close-codes';
import { gql, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer } from '../support/tokens';
import { ENQUEUE } from './operations';

/** Serves a JWKS document on loopback, as an identity provider would. */
async function jwksServer(keys: JWK[]): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json` };
}

describe('tokens from a JWKS, and per-owner and production limits', () => {
  let stack: Stack;
  let jwks: Awaited<ReturnType<typeof jwksServer>>;
  let sign: (sub: string, roles: string[], alg: 'RS256' | 'ES256') => Promise<string>;
  before(async () => {
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const other = await generateKeyPair('RS256');
    jwks = await jwksServer([
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' },
    ]);
    sign = (sub, roles, alg) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg, kid: alg === 'RS256' ? 'rsa' : 'ec' })
        .setSubject(sub)
        .setExpirationTime('1h')
        .sign(alg === 'RS256' ? rsa.privateKey : ec.privateKey);
    stack = await Stack.start({ workers: 0, env: { JWKS_URL: jwks.url, MAX_SOCKETS_PER_OWNER: '2', NODE_ENV: 'production' } });
    // A token signed by a key the JWKS does not hold.
    forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(other.privateKey);
  });
  let forged = '';
  after(async () => {
    await stack.close();
    jwks.server.close();
  });

  it('accepts RS256 and ES256 tokens from the JWKS and refuses a token signed elsewhere', async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const response = await gql<{ enqueue: { id: string } }>(
        stack.url,
        ENQUEUE,
        { type: 'helloWorld', data: {} },
        bearer(await sign('ana', ['submitter'], alg)),
      );
      assert.ok(response.data?.enqueue.id, `${alg}: ${JSON.stringify(response.errors)}`);
    }
    const refused = await gql(stack.url, '{ jobTypes { name } }', {}, bearer(forged));
    assert.equal(refused.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
  });

  it('allows an owner only MAX_SOCKETS_PER_OWNER sockets (4429 beyond)', async () => {
    const token = await sign('bia', ['viewer'], 'ES256');
    const open = (): Promise<{ socket: WebSocket; closed: Promise<number> }> =>
      new Promise((resolve) => {
        const socket = new WebSocket(stack.wsUrl, 'graphql-transport-ws');
        const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
        socket.on('message', () => resolve({ socket, closed }));
        void closed.then(() => resolve({ socket, closed }));
      });
    const first = await open();
    const second = await open();
    const third = await open();
    assert.equal(await within(third.closed, 5000, 'the refusal'), CloseCode.TooManySockets);
    first.socket.close();
    await first.closed;
    const again = await open();
    assert.equal(again.socket.readyState, WebSocket.OPEN, 'a slot freed by a closed socket is usable again');
    for (const { socket } of [second, again]) socket.close();
  });

  it('turns introspection and GraphiQL off in production, over HTTP (POST and GET) and WebSocket', async () => {
    const token = await sign('val', ['viewer'], 'RS256');
    const query = '{ __schema { queryType { name } } }';
    const introspection = await gql(stack.url, query, {}, bearer(token));
    assert.deepEqual(
      introspection.errors?.map((error) => [error.message, error.extensions?.code]),
      [['Introspection is off on this gateway (INTROSPECTION=0, or NODE_ENV=production)', 'GRAPHQL_VALIDATION_FAILED']],
    );
    const viaGet = await fetch(`${stack.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { ...bearer(token), 'apollo-require-preflight': '1' },
    });
    assert.equal(viaGet.status, 400);
    assert.match(await viaGet.text(), /Introspection is off/);
    const client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${token}` } });
    await assert.rejects(within(record(client, query).done, 5000, 'the refusal'), /Introspection is off/);
    // Nor do validation errors suggest names of the schema, on either transport.
    const misspelt = '{ jbo(id: "x") { id } }';
    assert.deepEqual(
      (await gql(stack.url, misspelt, {}, bearer(token))).errors?.map((error) => error.message),
      ['Cannot query field "jbo" on type "Query".'],
    );
    await assert.rejects(
      within(record(client, misspelt).done, 5000, 'the refusal'),
      (error: Error) =>
        error.message.includes('Cannot query field \\"jbo\\" on type \\"Query\\".') && !error.message.includes('Did you mean'),
    );
    await client.dispose();
    assert.equal((await fetch(`${stack.url}/graphiql`)).status, 404);
  });
});
