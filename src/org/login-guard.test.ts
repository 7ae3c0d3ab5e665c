import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../platform/db/testing.ts';
import { AppError } from '../platform/errors.ts';
import { startTestYiwang, type TestYiwang } from '../platform/testing.ts';
import { clientKey } from '../platform/http/client-key.ts';
import { LoginGuard } from './login-guard.ts';
import { SessionStore } from './session.store.ts';
import { ORG_TEST_MODULES, testClock } from './testing.ts';

test('client addresses are keyed: IPv4 and IPv4-mapped IPv6 by the address, IPv6 by its /64', () => {
  assert.equal(clientKey('192.0.2.7'), '192.0.2.7');
  assert.equal(clientKey('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(clientKey('::ffff:c000:207'), '192.0.2.7');
  assert.equal(clientKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
  assert.equal(clientKey('[2001:db8:1:2::abcd]'), '2001:db8:1:2::/64');
  assert.equal(clientKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
  assert.equal(clientKey('2001:db8::1.2.3.4'), '2001:db8:0:0::/64');
  assert.notEqual(clientKey('2001:db8:1:2::1'), clientKey('2001:db8:1:3::1'));
  assert.equal(clientKey('not an address'), 'not an address');
});

for (const dialect of DIALECTS) {
  describe(`login guard on the database (${dialect})`, () => {
    let y: TestYiwang;
    const clock = testClock();
    let guard: LoginGuard;
    before(async () => {
      // No seed: the guard needs only org's tables.
      y = await startTestYiwang(dialect, { clock, modules: ORG_TEST_MODULES });
      guard = new LoginGuard(y.ctx.db, new SessionStore(), () => clock.now());
    });
    after(async () => y?.close());

    test('of thirty parallel attempts exactly five are admitted, numbered 1 to 5; the rest are refused and one of them locks', async () => {
      const gates = await Promise.all(Array.from({ length: 30 }, () => guard.admitUser('parallel.user')));
      const admitted = gates.flatMap((g) => (g.admitted ? [g.attempt] : []));
      assert.deepEqual(admitted.sort((a, b) => a - b), [1, 2, 3, 4, 5]);
      const refused = gates.filter((g) => !g.admitted);
      assert.equal(refused.length, 25);
      assert.equal(refused.filter((g) => !g.admitted && g.newlyLocked).length, 1, 'one lock, audited once');
      const row = await new SessionStore().throttle(y.ctx.db, 'user:parallel.user');
      assert.equal(row?.locked_until, clock.now() + guard.policy.lockMs);
    });

    test('a right password whose check overlapped a lock opens nothing and leaves the lock in place', async () => {
      const first = await guard.admitUser('overlap.user');
      assert.ok(first.admitted);
      // While its password is being checked, five more attempts come in: the last one locks.
      for (let i = 0; i < 5; i++) await guard.admitUser('overlap.user');
      await assert.rejects(
        y.ctx.transaction((tx) => guard.admitSuccess(tx, 'overlap.user')),
        (err: unknown) => err instanceof AppError && err.code === 'AUTH_LOCKED',
      );
      const row = await new SessionStore().throttle(y.ctx.db, 'user:overlap.user');
      assert.ok(row?.locked_until && row.locked_until > clock.now(), 'still locked');
    });

    test('a right password clears the count when no lock was set', async () => {
      const gate = await guard.admitUser('fine.user');
      assert.ok(gate.admitted);
      assert.equal(await guard.recordFailure('fine.user', gate.attempt), null);
      const second = await guard.admitUser('fine.user');
      assert.ok(second.admitted && second.attempt === 2);
      await y.ctx.transaction((tx) => guard.admitSuccess(tx, 'fine.user'));
      assert.equal(await new SessionStore().throttle(y.ctx.db, 'user:fine.user'), undefined);
    });

    test('attempts refused during a lock do not count against the time after it', async () => {
      const policy = { ...guard.policy, lockMs: 5 * 60_000 };
      const short = new LoginGuard(y.ctx.db, new SessionStore(), () => clock.now(), policy);
      for (let i = 0; i < 5; i++) {
        const gate = await short.admitUser('patient.user');
        assert.ok(gate.admitted);
        await short.recordFailure('patient.user', gate.attempt);
      }
      for (let i = 0; i < 10; i++) assert.equal((await short.admitUser('patient.user')).admitted, false, 'locked');
      // The lock (5 min) ends well inside the 15-minute window: the user starts afresh.
      clock.advance(5 * 60_000 + 1000);
      assert.deepEqual(await short.admitUser('patient.user'), { admitted: true, attempt: 1 });
    });

    test('the failure that reaches the limit locks; a lock that ended lets attempts through again', async () => {
      let outcome = null;
      for (let i = 1; i <= 5; i++) {
        const gate = await guard.admitUser('serial.user');
        assert.ok(gate.admitted, `attempt ${i}`);
        outcome = await guard.recordFailure('serial.user', gate.attempt);
        assert.equal(outcome === null, i < 5, `attempt ${i}`);
      }
      assert.deepEqual(outcome, { lockedUntil: clock.now() + guard.policy.lockMs, newlyLocked: true });
      assert.equal((await guard.admitUser('serial.user')).admitted, false);
      clock.advance(guard.policy.lockMs + 1000);
      assert.deepEqual(await guard.admitUser('serial.user'), { admitted: true, attempt: 1 });
    });
  });
}
