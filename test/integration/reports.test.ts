import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

interface Finished {
  state: string;
  result: { downloadUrl: string } | null;
}

describe('exportReport', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(async () => {
    await stack?.close();
  });

  it('writes a CSV whose text cells cannot run as spreadsheet formulas', async () => {
    for (const report of ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)']) {
      const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
        type: 'exportReport',
        data: { report, format: 'CSV', rows: 2 },
      });
      const job = await eventually(
        async () => {
          const seen = (await gqlOk<{ job: Finished }>(stack.url, JOB, { id: enqueue.id })).job;
          return seen.state === 'COMPLETED' ? seen : undefined;
        },
        15_000,
        `report ${report}`,
      );
      const csv = await (await fetch(`${stack.url}${job.result!.downloadUrl}`)).text();
      const [header, first] = csv.trim().split('\n');
      assert.equal(header, 'line,report,item,value');
      assert.equal(first.split(',')[1].slice(0, 3), `"'${report[0]}`, `${report}: ${first}`);
      assert.ok(first.includes(`'${report.replaceAll('"', '""')}`), first);
    }
  });
});
