import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.ts';

test('a password verifies against its own hash and no other', async () => {
  const h = await hashPassword('Yiwang@2026');
  assert.match(h, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(await verifyPassword('Yiwang@2026', h), { ok: true, needsRehash: false });
  assert.equal((await verifyPassword('yiwang@2026', h)).ok, false);
  assert.equal((await verifyPassword('', h)).ok, false);
});

test('the same password hashes differently each time (random salt)', async () => {
  assert.notEqual(await hashPassword('Same-Passw0rd'), await hashPassword('Same-Passw0rd'));
});

test('a hash made with weaker parameters still verifies and asks to be rehashed', async () => {
  const weak = await hashPassword('Yiwang@2026', { N: 1024, r: 8, p: 1 });
  assert.deepEqual(await verifyPassword('Yiwang@2026', weak), { ok: true, needsRehash: true });
});

test('malformed or hostile stored hashes never match', async () => {
  for (const h of ['', 'plain', 'scrypt$1$1$1$x$y', 'scrypt$99999999$8$1$AAAA$AAAA', 'md5$x$y$z$a$b']) {
    assert.equal((await verifyPassword('x', h)).ok, false, h);
  }
});

test('the password policy wants 10+ characters mixing three kinds and not the username', () => {
  assert.doesNotThrow(() => checkPasswordPolicy('Yiwang@2026'));
  assert.throws(() => checkPasswordPolicy('Short1!'), /at least 10/);
  assert.throws(() => checkPasswordPolicy('alllowercaseletters'), /three/);
  assert.throws(() => checkPasswordPolicy('Lujiazui.grid1', 'password', 'lujiazui.grid'), /username/);
  assert.throws(() => checkPasswordPolicy('x'.repeat(129) + 'A1'), /at most/);
});
