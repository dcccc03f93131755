import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { eventually, gql } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

const API_KEY = 'api-key-of-owner-bob-0123456789';
const AUDIENCE = 'jobgate-tests';
const ISSUER = 'https://issuer.example';

/** A token signed with the stack's secret, with the claims given (and only those). */
function signed(claims: { sub?: string; roles?: string[]; aud?: string; iss?: string; expiresInSeconds?: number }): Promise<string> {
  const jwt = new SignJWT({ roles: claims.roles ?? ['submitter'] }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (claims.sub) jwt.setSubject(claims.sub);
  if (claims.aud) jwt.setAudience(claims.aud);
  if (claims.iss) jwt.setIssuer(claims.iss);
  if (claims.expiresInSeconds !== undefined) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + claims.expiresInSeconds);
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/** A token the stack accepts: its audience, its issuer, an expiry. */
const valid = (sub: string, roles = ['submitter']): Promise<string> =>
  signed({ sub, roles, aud: AUDIENCE, iss: ISSUER, expiresInSeconds: 3600 });

describe('owners live in namespaces no token can forge', () => {
  let stack: Stack;

  before(async () => {
    stack = await Stack.start({
      workers: 1,
      env: { JWT_SECRET: TEST_JWT_SECRET, JWT_AUDIENCE: AUDIENCE, JWT_ISSUER: ISSUER, API_KEYS: `${API_KEY}:bob:submitter` },
    });
  });
  after(async () => {
    await stack?.close();
  });

  const enqueue = async (authorization: Record<string, string>, options: Record<string, unknown> = {}): Promise<EnqueuedJob> => {
    const answer = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'importParts', data: { project: 'owners', phase: 'p', stage: 's' }, options: { delayMs: 600_000, ...options } },
      authorization,
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data!.enqueue;
  };
  const sees = async (authorization: Record<string, string>, id: string): Promise<boolean> =>
    (await gql<{ job: { id: string } | null }>(stack.url, JOB, { id }, authorization)).data?.job !== null;

  it('a JWT subject and an API key owner of the same name are two owners', async () => {
    const jwtBob = bearer(await valid('bob'));
    const keyBob = bearer(API_KEY);
    const byJwt = await enqueue(jwtBob);
    const byKey = await enqueue(keyBob);
    assert.equal(await sees(jwtBob, byJwt.id), true);
    assert.equal(await sees(keyBob, byJwt.id), false);
    assert.equal(await sees(jwtBob, byKey.id), false);
  });

  it('a dedup key cannot reach another owner’s job through an owner name holding a colon', async () => {
    const alice = bearer(await valid('alice'));
    const forger = bearer(await valid('alice:importParts'));
    const original = await enqueue(alice, { dedupKey: 'importParts:x' });
    const forged = await enqueue(forger, { dedupKey: 'x' });
    assert.notEqual(forged.id, original.id, 'the forger got a job of its own');
    assert.equal(await sees(forger, original.id), false);
    assert.equal((await enqueue(alice, { dedupKey: 'importParts:x' })).id, original.id, 'the key still deduplicates for its owner');
  });

  it('a token whose subject is "scheduler" neither sees nor controls the jobs schedules start', async () => {
    const admin = bearer(await valid('root', ['admin']));
    const upsert = await gql(
      stack.url,
      'mutation ($s: ScheduleInput!) { upsertSchedule(schedule: $s) { id } }',
      { s: { id: 'owners-test', type: 'helloWorld', everyMs: 1000, data: {} } },
      admin,
    );
    assert.equal(upsert.errors, undefined, JSON.stringify(upsert.errors));
    try {
      const scheduled = await eventually(
        async () => {
          const answer = await gql<{ schedules: { id: string; lastJobId: string | null }[] }>(
            stack.url,
            '{ schedules { id lastJobId } }',
            {},
            admin,
          );
          return answer.data?.schedules.find((schedule) => schedule.id === 'owners-test')?.lastJobId ?? undefined;
        },
        15_000,
        'a scheduled job',
      );
      const impostor = bearer(await valid('scheduler', ['submitter']));
      assert.equal(await sees(impostor, scheduled), false);
      const cancel = await gql(stack.url, 'mutation ($id: ID!) { cancelJob(id: $id) { id } }', { id: scheduled }, impostor);
      assert.equal(cancel.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      assert.equal(await sees(admin, scheduled), true);
    } finally {
      await gql(stack.url, 'mutation { removeSchedule(id: "owners-test") }', {}, admin);
    }
  });

  it('refuses a JWT without exp, with another audience or from another issuer (401)', async () => {
    const cases: [string, Promise<string>, RegExp][] = [
      ['no exp', signed({ sub: 'carol', aud: AUDIENCE, iss: ISSUER }), /claim "exp" is missing/],
      ['another audience', signed({ sub: 'carol', aud: 'other', iss: ISSUER, expiresInSeconds: 60 }), /claim "aud"/],
      ['another issuer', signed({ sub: 'carol', aud: AUDIENCE, iss: 'https://evil.example', expiresInSeconds: 60 }), /claim "iss"/],
      ['the test default (no aud, no iss)', token('carol', ['submitter']), /claim "(iss|aud)"/],
    ];
    for (const [label, made, message] of cases) {
      const response = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(await made) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      assert.equal(response.status, 401, label);
      assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', label);
      assert.match(body.errors?.[0]?.message ?? '', message, label);
    }
  });
});
