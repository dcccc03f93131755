import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConnectionError } from '../../src/redis/connections';

/** An error as ioredis rejects a discarded transaction: EXECABORT with the queued commands' errors. */
function execAbort(previous: Error[]): Error {
  return Object.assign(new Error('EXECABORT Transaction discarded because of previous errors.'), { previousErrors: previous });
}

describe('telling Redis being away from a bad command', () => {
  it('counts what a failover or an outage replies as Redis being away', () => {
    for (const message of [
      'CLUSTERDOWN The cluster is down',
      'MOVED 3999 127.0.0.1:7002',
      'LOADING Redis is loading the dataset in memory',
      "READONLY You can't write against a read only replica.",
      'Command aborted due to connection close',
      'Too many Cluster redirections. Last error: Connection is closed.',
    ]) {
      assert.equal(isConnectionError(new Error(message)), true, message);
    }
    assert.equal(isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })), true);
  });

  it('counts a discarded transaction as Redis being away only when every queued command failed that way', () => {
    assert.equal(
      isConnectionError(execAbort([new Error('CLUSTERDOWN The cluster is down'), new Error('CLUSTERDOWN The cluster is down')])),
      true,
    );
    assert.equal(
      isConnectionError(
        execAbort([
          new Error('CLUSTERDOWN The cluster is down'),
          new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
        ]),
      ),
      false,
    );
    assert.equal(isConnectionError(execAbort([])), false);
  });

  it('leaves bad commands and other errors alone', () => {
    for (const message of [
      'WRONGTYPE Operation against a key holding the wrong kind of value',
      'ERR unknown command',
      'NOSCRIPT No matching script',
    ]) {
      assert.equal(isConnectionError(new Error(message)), false, message);
    }
    assert.equal(isConnectionError('CLUSTERDOWN'), false);
  });
});
