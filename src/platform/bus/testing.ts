import { randomBytes } from 'node:crypto';
import { silentLogger, type Logger } from '../logger.ts';
import type { EventBus } from './bus.ts';
import { MemoryBus } from './memory-bus.ts';
import { NatsBus, type NatsBusOptions } from './nats-bus.ts';

declare module './events.ts' {
  interface EventMap {
    /** Only in tests of the bus and outbox. */
    'bustest.thing.happened': { v: 1; n: number };
    'bustest.other.happened': { v: 1; n: number };
  }
}

/** The NATS server tests use; each run works in its own stream and subject prefix. */
export const TEST_NATS_URL = process.env.YIWANG_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export type BusKind = EventBus['kind'];
/** Both buses: bus and outbox tests run once per entry. */
export const BUSES: BusKind[] = ['memory', 'nats'];

/**
 * A place on the NATS server of one's own: a fresh stream and subject prefix. `open()` connects a
 * bus to it (call it twice for two "processes"), `close()` closes them all and deletes the stream.
 * With kind 'memory' each `open()` is a new in-process bus, as each process has its own.
 */
export interface TestBusSpace {
  kind: BusKind;
  open(opts?: NatsBusOptions): Promise<EventBus>;
  close(): Promise<void>;
}

/** Fast retries so redelivery tests take milliseconds. */
const FAST: NatsBusOptions = { retryBaseMs: 50, retryMaxMs: 200, ackWaitMs: 2000 };

export function testBusSpace(kind: BusKind, log: Logger = silentLogger): TestBusSpace {
  if (kind === 'memory') {
    const opened: MemoryBus[] = [];
    return {
      kind,
      async open() {
        const bus = new MemoryBus((err) => log.error({ err }, 'handler failed'));
        opened.push(bus);
        return bus;
      },
      close: async () => void (await Promise.all(opened.map((b) => b.close()))),
    };
  }
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const space: NatsBusOptions = { stream: `YIWANG_TEST_${tag}`, subjectPrefix: `yiwangtest_${tag}` };
  const opened: NatsBus[] = [];
  return {
    kind,
    async open(opts = {}) {
      const bus = await NatsBus.connect(TEST_NATS_URL, log, { ...FAST, ...opts, ...space });
      opened.push(bus);
      return bus;
    },
    async close() {
      for (const b of opened) await b.close().catch(() => {});
      const admin = await NatsBus.connect(TEST_NATS_URL, log, space);
      await admin.deleteStream();
      await admin.close();
    },
  };
}

/** Waits until `check()` is true, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Gives a bus time to deliver anything still on its way (to prove a duplicate did not arrive). */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
