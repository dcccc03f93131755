import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import pino from 'pino';
import { RESTART_POLICY, restartDelay, SupervisedProcess, type RestartPolicy } from '../../src/cli/supervisor';
import { eventually } from '../support/graphql';

describe('restart backoff', () => {
  it('waits 2 s, then doubles up to 30 s for crashes in a row', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let crash = 0; crash < 7; crash++) delays.push((delay = restartDelay(delay, 1_000)));
    assert.deepEqual(delays, [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over at 2 s once the process stayed up long enough', () => {
    assert.equal(restartDelay(30_000, RESTART_POLICY.stableAfterMs - 1), 30_000);
    assert.equal(restartDelay(30_000, RESTART_POLICY.stableAfterMs), 2_000);
  });
});

describe('a supervised process', () => {
  const quick: RestartPolicy = { firstDelayMs: 20, maxDelayMs: 40, stableAfterMs: 60_000 };
  const idle = (): ReturnType<typeof spawn> => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('is started again after a SIGKILL, and stop ends it for good', async () => {
    let spawned = 0;
    const supervised = new SupervisedProcess('idle', () => (spawned++, idle()), pino({ level: 'silent' }), quick);
    const first = supervised.pid;
    assert.ok(first !== undefined);
    process.kill(first, 'SIGKILL');
    const second = await eventually(() => supervised.pid !== first && supervised.pid, 10_000, 'a restart');
    assert.equal(spawned, 2);
    await supervised.stop();
    assert.ok(!alive(second), 'stop killed it');
    assert.equal(spawned, 2, 'and nothing was started again');
  });

  it('does not restart a crashed process once stopped, though its restart was due', async (t) => {
    // Mocked timers: the restart is due when the test moves the clock, not after a real wait.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let spawned = 0;
    let crashLogged!: () => void;
    const crashed = new Promise<void>((resolve) => (crashLogged = resolve));
    const logger = pino({ level: 'info' }, { write: (line: string) => void (line.includes('exited unexpectedly') && crashLogged()) });
    const supervised = new SupervisedProcess('idle', () => (spawned++, idle()), logger, quick);
    // Should a restart happen after all, the process it started is stopped too.
    t.after(() => supervised.stop());
    const pid = supervised.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await crashed;
    await supervised.stop();
    t.mock.timers.tick(quick.maxDelayMs * 2);
    assert.equal(spawned, 1);
  });
});
