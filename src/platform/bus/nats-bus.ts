import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  StorageType,
  connect,
  nanos,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import type { Logger } from '../logger.ts';
import type { EventBus } from './bus.ts';
import type { Envelope, Handler } from './events.ts';

/** Tunables of the JetStream bus; every one has a production default. */
export interface NatsBusOptions {
  /** Stream holding every event (default `YIWANG_EVENTS`). */
  stream?: string;
  /** First subject token: event `a.b.c` travels on `<prefix>.a.b.c` (default `yiwang`). */
  subjectPrefix?: string;
  /** How long the stream keeps events (default 7 days). */
  maxAgeMs?: number;
  /** Window in which JetStream drops a re-published event id (default 10 minutes). */
  duplicateWindowMs?: number;
  /** A delivery not acknowledged within this time is redelivered (default 30 s). */
  ackWaitMs?: number;
  /** Deliveries of one event to one group before giving up on it (default 10). */
  maxDeliver?: number;
  /** First retry delay after a handler error; doubles per attempt (default 1 s). */
  retryBaseMs?: number;
  /** Longest retry delay (default 5 minutes). */
  retryMaxMs?: number;
  /** Messages a process buffers per subscription; small keeps work spread across processes (default 16). */
  batch?: number;
}

const DEFAULTS: Required<NatsBusOptions> = {
  stream: 'YIWANG_EVENTS',
  subjectPrefix: 'yiwang',
  maxAgeMs: 7 * 24 * 3600_000,
  duplicateWindowMs: 10 * 60_000,
  ackWaitMs: 30_000,
  maxDeliver: 10,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  batch: 16,
};

const TOKEN = /^[A-Za-z0-9_-]+$/;

interface Subscription {
  messages: ConsumerMessages;
  loop: Promise<void>;
  stopping: boolean;
}

/**
 * The event bus of the distributed mode, on NATS JetStream. Events are stored in one stream; the
 * event id is the JetStream message id, so a re-publish of the same outbox row inside the duplicate
 * window is dropped by the server. Each subscription group is one durable pull consumer shared by
 * every process that subscribes with that group, so `yiwang serve` processes split the work; a
 * handler's success acknowledges the event, a failure asks for redelivery after a growing delay.
 */
export class NatsBus implements EventBus {
  readonly kind = 'nats' as const;
  private readonly opts: Required<NatsBusOptions>;
  private readonly subs = new Set<Subscription>();
  private lastLag = 0;
  private closed = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly log: Logger,
    opts: NatsBusOptions,
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    if (!TOKEN.test(this.opts.stream)) throw new Error(`stream name "${this.opts.stream}" may hold only letters, digits, _ and -`);
    if (!this.opts.subjectPrefix.split('.').every((t) => TOKEN.test(t))) throw new Error(`subject prefix "${this.opts.subjectPrefix}" is not a valid subject`);
  }

  /**
   * Connects and makes sure the stream exists. The URL may carry credentials
   * (`nats://user:pass@host:4222`) and, to keep several deployments or test runs apart on one
   * server, `?stream=NAME&prefix=SUBJECT` which override the options.
   */
  static async connect(url: string, log: Logger, opts: NatsBusOptions = {}): Promise<NatsBus> {
    const u = new URL(url);
    const stream = u.searchParams.get('stream') ?? opts.stream;
    const subjectPrefix = u.searchParams.get('prefix') ?? opts.subjectPrefix;
    const nc = await connect({
      servers: `${u.hostname}:${u.port || '4222'}`,
      user: u.username ? decodeURIComponent(u.username) : undefined,
      pass: u.password ? decodeURIComponent(u.password) : undefined,
      name: `yiwang-${process.pid}`,
      // Keep trying for ever: the outbox holds events while the bus is away.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect' || s.type === 'error') log.warn({ nats: s.type, data: String(s.data) }, 'NATS connection trouble');
        else if (s.type === 'reconnect') log.info({ nats: s.type, data: String(s.data) }, 'NATS reconnected');
      }
    })().catch(() => {});
    try {
      const jsm = await nc.jetstreamManager();
      const bus = new NatsBus(nc, nc.jetstream(), jsm, log, { ...opts, ...(stream ? { stream } : {}), ...(subjectPrefix ? { subjectPrefix } : {}) });
      await bus.ensureStream();
      return bus;
    } catch (err) {
      await nc.close().catch(() => {});
      throw err;
    }
  }

  /** The stream this bus publishes to (tests delete it afterwards). */
  get streamName(): string {
    return this.opts.stream;
  }

  /** The NATS subject an event name or pattern travels on. */
  subjectFor(nameOrPattern: string): string {
    if (nameOrPattern === '>') return `${this.opts.subjectPrefix}.>`;
    const tokens = nameOrPattern.split('.');
    const ok = tokens.every((t, i) => TOKEN.test(t) || (t === '>' && i === tokens.length - 1 && i > 0));
    if (!ok) throw new Error(`"${nameOrPattern}" is not a valid event name or pattern (dotted words, optionally ending in .>)`);
    return `${this.opts.subjectPrefix}.${nameOrPattern}`;
  }

  private async ensureStream(): Promise<void> {
    const want: Partial<StreamConfig> = {
      name: this.opts.stream,
      subjects: [`${this.opts.subjectPrefix}.>`],
      storage: StorageType.File,
      max_age: nanos(this.opts.maxAgeMs),
      duplicate_window: nanos(this.opts.duplicateWindowMs),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const info = await this.jsm.streams.info(this.opts.stream);
        const c = info.config;
        if (c.max_age !== want.max_age || c.duplicate_window !== want.duplicate_window || c.subjects.join() !== want.subjects!.join()) {
          await this.jsm.streams.update(this.opts.stream, { ...c, ...want } as StreamConfig);
          this.log.info({ stream: this.opts.stream }, 'updated JetStream stream settings');
        }
        return;
      } catch (err) {
        if (!isNotFound(err) || attempt > 2) throw err;
      }
      try {
        await this.jsm.streams.add(want);
        this.log.info({ stream: this.opts.stream }, 'created JetStream stream');
        return;
      } catch (err) {
        // Another process created it between our look and our add: look again.
        if (attempt > 2) throw err;
      }
    }
  }

  async publish(event: Envelope): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    const ack = await this.js.publish(this.subjectFor(event.name), JSON.stringify(event), {
      msgID: event.id,
      expect: { streamName: this.opts.stream },
    });
    if (ack.duplicate) this.log.debug({ event: event.name, id: event.id }, 'event already on the bus; JetStream dropped the duplicate');
  }

  /**
   * One durable consumer per (group, pattern), created on first use and shared by every process
   * subscribing the same way. A new group starts with events published from now on; the returned
   * function stops this process's share of the work and leaves the consumer for the others.
   */
  async subscribe(pattern: string, group: string, handler: Handler<any>): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('bus closed');
    const durable = consumerName(group, pattern);
    const config: Partial<ConsumerConfig> = {
      durable_name: durable,
      filter_subject: this.subjectFor(pattern),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: nanos(this.opts.ackWaitMs),
      max_deliver: this.opts.maxDeliver,
      max_ack_pending: 1000,
      description: `yiwang group "${group}" on "${pattern}"`,
    };
    try {
      await this.jsm.consumers.info(this.opts.stream, durable);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Creating with identical settings is idempotent, so racing processes both succeed.
      await this.jsm.consumers.add(this.opts.stream, config);
    }
    const consumer = await this.js.consumers.get(this.opts.stream, durable);
    const messages = await consumer.consume({ max_messages: this.opts.batch });
    const sub: Subscription = { messages, stopping: false, loop: Promise.resolve() };
    sub.loop = (async () => {
      for await (const m of messages) {
        // Buffered but not started: hand it straight back so another process takes it.
        if (sub.stopping) m.nak();
        else await this.handle(m, handler, group);
      }
    })().catch((err) => this.log.error({ err, group, pattern }, 'NATS subscription ended with an error'));
    this.subs.add(sub);
    return async () => {
      if (!this.subs.delete(sub)) return;
      await this.stop(sub);
    };
  }

  /**
   * A core NATS subscription on the events' subjects: JetStream stores each event and NATS also
   * hands it to every live subscriber, so each process sees each event once, with no consumer state.
   */
  async listen(pattern: string, handler: Handler<any>): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('bus closed');
    const sub = this.nc.subscribe(this.subjectFor(pattern));
    const loop = (async () => {
      for await (const m of sub) {
        try {
          await handler(JSON.parse(new TextDecoder().decode(m.data)) as Envelope);
        } catch (err) {
          this.log.warn({ err, pattern }, 'listener failed on an event');
        }
      }
    })();
    return async () => {
      sub.unsubscribe();
      await loop;
    };
  }

  private async stop(sub: Subscription): Promise<void> {
    sub.stopping = true;
    await sub.messages.close().catch(() => {});
    await sub.loop;
  }

  private async handle(m: JsMsg, handler: Handler<any>, group: string): Promise<void> {
    let event: Envelope;
    try {
      event = JSON.parse(new TextDecoder().decode(m.data)) as Envelope;
    } catch (err) {
      this.log.error({ err, subject: m.subject, seq: m.seq }, 'undecodable event dropped');
      m.term('undecodable');
      return;
    }
    this.lastLag = Math.max(0, Date.now() - Number(event.occurredAt));
    // A long handler tells the server it is still working, so the event is not handed to another process.
    const keepAlive = setInterval(() => m.working(), Math.max(100, Math.floor(this.opts.ackWaitMs / 3)));
    try {
      await handler(event);
      m.ack();
    } catch (err) {
      const attempt = m.info.redeliveryCount;
      if (attempt >= this.opts.maxDeliver) {
        this.log.error({ err, event: event.name, id: event.id, group, attempt }, 'event handler failed for the last time; event dropped for this group');
        m.term('handler kept failing');
      } else {
        const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** (attempt - 1));
        this.log.warn({ err, event: event.name, id: event.id, group, attempt, retryInMs: delay }, 'event handler failed; will retry');
        m.nak(delay);
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  async ping(): Promise<void> {
    if (this.closed || this.nc.isClosed()) throw new Error('bus closed');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.nc.rtt(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('NATS did not answer within 2 s')), 2000))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  lagMs(): number {
    return this.lastLag;
  }

  /** Test helper: removes the stream and everything in it. */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.opts.stream).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }

  /** Stops taking new events, lets running handlers finish, then drains the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const subs = [...this.subs];
    this.subs.clear();
    await Promise.all(subs.map((s) => this.stop(s)));
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

/** A durable consumer name for a group and pattern: readable, and unique through a short hash. */
export function consumerName(group: string, pattern: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40);
  const hash = createHash('sha256').update(`${group}\0${pattern}`).digest('hex').slice(0, 8);
  return `${clean(group)}__${clean(pattern)}__${hash}`;
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: string; api_error?: { err_code?: number }; message?: string };
  return e?.code === '404' || e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(e?.message ?? '');
}
