import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { startTestYiwang } from '../testing.ts';
import { buildSerializer, buildValidator, compileAllSchemas, trackSchemas } from './validation.ts';

// Route schemas compile on first use (validation.ts says why); these tests stand in for the
// startup compile that no longer happens.

test("every route's request and response schemas compile", async () => {
  trackSchemas();
  const y = await startTestYiwang('sqlite');
  try {
    await y.app.ready();
    const n = compileAllSchemas();
    assert.ok(n > 200, `${n} schemas compiled`);
  } finally {
    await y.close();
  }
});

const bare = () => Fastify({ schemaController: { compilersFactory: { buildValidator: buildValidator as never, buildSerializer: buildSerializer as never } } });

test('a broken schema is found by compileAllSchemas, and its route fails instead of answering unchecked', async () => {
  trackSchemas();
  const app = bare();
  app.post('/x', { schema: { body: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({ ok: true }));
  await app.ready();
  assert.throws(() => compileAllSchemas(), /no-such-type|type/);
  assert.equal((await app.inject({ method: 'POST', url: '/x', payload: { a: 1 } })).statusCode, 500);
  await app.close();
});

test('lazily compiled validators still name the failing field, and serializers still drop what the schema does not name', async () => {
  const app = bare();
  app.post('/x', {
    schema: {
      body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } }, additionalProperties: false },
      querystring: { type: 'object', properties: { k: { type: 'number' } } },
      response: { 200: { type: 'object', properties: { n: { type: 'integer' }, k: { type: 'number' } } } },
    },
  }, async (req) => ({ ...(req.body as object), k: (req.query as { k: number }).k, secret: 'not in the schema' }));
  const bad = await app.inject({ method: 'POST', url: '/x?k=1.5', payload: { n: 'seven' } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().message, /body\/n must be integer/);
  const good = await app.inject({ method: 'POST', url: '/x?k=1.5', payload: { n: 7 } });
  assert.deepEqual(good.json(), { n: 7, k: 1.5 });
  await app.close();
});
