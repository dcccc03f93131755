import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverAudits } from 'graphql-http';
import { Stack } from '../support/stack';

/**
 * SHOULDs Jobgate answers otherwise on purpose, as Apollo Server does: under `application/json`
 * a document that does not parse or validate, and variables that do not coerce, get 400 rather
 * than 200 (docs/graphql-over-http.md). Any other audit that is not ok fails the test.
 */
const STATUS_CHOICES = new Set(['572B', 'FDE2', '7B9B']);

describe('the GraphQL over HTTP audit (graphql-http serverAudits)', () => {
  let stack: Stack;

  before(async () => {
    stack = await Stack.start({ workers: 0 });
  });
  after(async () => {
    await stack?.close();
  });

  it('passes every MUST, the content-type SHOULDs and the GET MAYs; the only warnings are the documented status choices', async () => {
    const audits = serverAudits({ url: `${stack.url}/graphql` });
    const outcomes = new Map<string, string>();
    for (const audit of audits) {
      const result = await audit.fn();
      outcomes.set(audit.id, result.status === 'ok' ? 'ok' : `${result.status}: ${audit.name}: ${result.reason}`);
    }
    assert.ok(
      audits.some((audit) => audit.name.startsWith('MUST')),
      'the audit has MUSTs',
    );
    const unexpected = [...outcomes].filter(([id, outcome]) => outcome !== 'ok' && !STATUS_CHOICES.has(id));
    assert.deepEqual(unexpected, []);
    for (const id of STATUS_CHOICES)
      assert.match(outcomes.get(id) ?? '', /^warn: SHOULD use (a status code of )?200/, `${id} is still a documented choice`);
    // Named by the issue: the content-type SHOULD and the GET MAYs.
    for (const id of ['22EB', '5A70', '9C48', 'D6D5', '6A70']) assert.equal(outcomes.get(id), 'ok', id);
  });
});
