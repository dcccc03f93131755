import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { throughputOf } from '../../src/services/throughput';
import { parseClientList, workersOf } from '../../src/services/worker-clients';

const minute = (n: number): number => n * 60_000;

describe('throughput from BullMQ metrics', () => {
  it('puts the open minute and the stored points at their minutes, counting from now', () => {
    // Last point written during minute 100 (prevTS); 4 jobs since; points for minutes 99, 98, 97.
    const metrics = { meta: { count: 20, prevTS: minute(100) + 5_000, prevCount: 16 }, data: [7, 0, 9], count: 3 };
    assert.deepEqual(throughputOf(metrics, minute(100) + 30_000, 5), { total: 20, perMinute: [4, 7, 0, 9, 0] });
    // Two idle minutes later the old counts have moved down instead of showing as "last minute".
    assert.deepEqual(throughputOf(metrics, minute(102) + 1_000, 5).perMinute, [0, 0, 4, 7, 0]);
  });

  it('is all zeros before any job finished', () => {
    assert.deepEqual(throughputOf({ meta: { count: 0, prevTS: 0, prevCount: 0 }, data: [], count: 0 }, Date.now(), 3), {
      total: 0,
      perMinute: [0, 0, 0],
    });
  });
});

describe('workers from CLIENT LIST', () => {
  const list = [
    'id=3 addr=127.0.0.1:50001 laddr=127.0.0.1:6379 fd=8 name=bull:ZGVmYXVsdA==:w:jobgate-41 age=12 idle=3 flags=N db=0',
    'id=4 addr=127.0.0.1:50002 laddr=127.0.0.1:6379 fd=9 name=bull:aW1wb3J0cw==:w:jobgate-41 age=12 idle=0 flags=N db=0',
    'id=5 addr=10.0.0.7:40000 laddr=127.0.0.1:6379 fd=10 name=bull:ZGVmYXVsdA== age=5 idle=5 flags=N db=0',
    'id=6 addr=127.0.0.1:50003 laddr=127.0.0.1:6379 fd=11 name=jobgate:gateway age=20 idle=0 flags=N db=0',
    '',
  ].join('\n');

  it("finds a queue's named and unnamed workers, and nothing else", () => {
    const workers = workersOf(parseClientList(list), 'bull:ZGVmYXVsdA==');
    assert.deepEqual(workers, [
      { name: 'jobgate-41', address: '127.0.0.1:50001', ageSeconds: 12, idleSeconds: 3, process: '127.0.0.1/jobgate-41' },
      { name: null, address: '10.0.0.7:40000', ageSeconds: 5, idleSeconds: 5, process: '10.0.0.7:40000' },
    ]);
  });

  it('gives the connections of one process the same process key', () => {
    const clients = parseClientList(list);
    const keys = [...workersOf(clients, 'bull:ZGVmYXVsdA=='), ...workersOf(clients, 'bull:aW1wb3J0cw==')].map((worker) => worker.process);
    assert.equal(new Set(keys).size, 2);
  });
});
