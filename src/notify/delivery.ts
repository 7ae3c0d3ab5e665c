import type { AppContext } from '../platform/context.ts';
import type { DeliveryRow } from './notify.schema.ts';
import type { NotifyStore, PreferenceRecord } from './notify.store.ts';
import type { Topic } from './topics.ts';

/** A message as adapters see it: what the inbox shows, plus whose it is. */
export interface DeliverableMessage {
  id: string;
  recipientId: string;
  topic: Topic;
  title: string;
  body: string;
  link: string | null;
  subject: { type: string; id: string } | null;
  createdAt: number;
}

/** The person's delivery settings at the time of the attempt. */
export type RecipientPrefs = PreferenceRecord;

export interface DeliveryMeta {
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
  /** ctx.clock time of the attempt. */
  now: number;
}

/**
 * A channel besides the in-app inbox (webhook today; SMS, e-mail, a city app push later). An adapter
 * throws to fail an attempt; a DeliveryError with `permanent` says retrying is pointless.
 */
export interface DeliveryAdapter {
  readonly channel: string;
  /** Whether this person has set the channel up (a URL, a phone number). */
  isConfigured(prefs: RecipientPrefs): boolean;
  deliver(message: DeliverableMessage, prefs: RecipientPrefs, meta: DeliveryMeta): Promise<void>;
}

export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly statusCode: number | null;
  constructor(message: string, opts: { permanent?: boolean; statusCode?: number } = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = opts.permanent ?? false;
    this.statusCode = opts.statusCode ?? null;
  }
}

export interface DispatcherOptions {
  /** Wait before retry n (n = 1 … length); one attempt more than there are delays. */
  retryDelaysMs?: number[];
  /** How long a worker holds a claimed delivery before another may take it. */
  claimMs?: number;
  /** Deliveries attempted at once by one process. */
  batch?: number;
}

/** 30 s, 2 min, 10 min, 1 h, 6 h: six attempts over about seven hours. */
export const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];

/**
 * Delivers messages to channels other than the inbox. It runs after commit: the module subscribes
 * to its own `notify.message.created` and `enqueue`s a delivery row per enabled channel (idempotent,
 * so a redelivered event adds nothing); `runDue` then attempts due rows, recording each attempt and
 * scheduling retries with backoff. Rows are claimed, so several processes can run it at once.
 * The inbox message never depends on any of this.
 */
export class DeliveryDispatcher {
  private readonly adapters = new Map<string, DeliveryAdapter>();
  private readonly delays: number[];
  private readonly claimMs: number;
  private readonly batch: number;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: NotifyStore,
    private readonly load: (messageId: string) => Promise<DeliverableMessage | null>,
    adapters: DeliveryAdapter[],
    opts: DispatcherOptions = {},
  ) {
    for (const a of adapters) this.adapters.set(a.channel, a);
    this.delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.claimMs = opts.claimMs ?? 120_000;
    this.batch = opts.batch ?? 20;
  }

  /** The channels people can turn on, besides the inbox. */
  channels(): string[] {
    return [...this.adapters.keys()];
  }

  get maxAttempts(): number {
    return this.delays.length + 1;
  }

  /** Creates the deliveries a new message needs, per the recipient's preferences; then runs them soon. */
  async enqueue(messageId: string): Promise<number> {
    const message = await this.load(messageId);
    if (!message) return 0;
    const prefs = await this.store.preference(this.ctx.db, message.recipientId);
    const wanted = (prefs.channels[message.topic] ?? []).filter((c) => this.adapters.get(c)?.isConfigured(prefs));
    const now = this.ctx.clock.now();
    const added = await this.store.insertDeliveries(
      this.ctx.db,
      wanted.map((channel) => ({
        id: this.ctx.random.uuid(),
        message_id: message.id,
        recipient_id: message.recipientId,
        channel,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_error: null,
        created_at: now,
        updated_at: now,
        delivered_at: null,
      })),
    );
    // Not awaited: a slow webhook must not hold up the bus (or, in-process, the outbox relay).
    if (added > 0) this.kick();
    return added;
  }

  /** Runs due deliveries soon, without waiting. */
  kick(): void {
    if (this.stopped) return;
    void this.runDue().catch((err) => this.ctx.log.error({ err }, 'notify: running deliveries failed'));
  }

  /** Attempts every delivery that is due now; returns how many attempts were made. */
  runDue(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          for (;;) {
            const now = this.ctx.clock.now();
            const claimed = await this.store.claimDue(this.ctx.db, now, now + this.claimMs, this.batch);
            if (claimed.length === 0) break;
            await Promise.all(claimed.map((d) => this.attempt(d)));
            total += claimed.length;
          }
        } while (this.again);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  /** Stops taking work and waits for a run in progress (on shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => 0);
  }

  private async attempt(d: DeliveryRow): Promise<void> {
    const adapter = this.adapters.get(d.channel);
    const message = await this.load(d.message_id);
    const prefs = await this.store.preference(this.ctx.db, d.recipient_id);
    const now = this.ctx.clock.now();
    if (!adapter || !message) {
      await this.store.cancelDelivery(this.ctx.db, d.id, !adapter ? `no adapter for channel ${d.channel}` : 'the message no longer exists', now);
      return;
    }
    // The person may have turned the channel off since the message arrived.
    if (!(prefs.channels[message.topic] ?? []).includes(d.channel) || !adapter.isConfigured(prefs)) {
      await this.store.cancelDelivery(this.ctx.db, d.id, `${d.channel} was turned off for ${message.topic}`, now);
      return;
    }
    const attempt = d.attempts + 1;
    const started = Date.now();
    let error: DeliveryError | null = null;
    try {
      await adapter.deliver(message, prefs, { deliveryId: d.id, attempt, now });
    } catch (err) {
      error = err instanceof DeliveryError ? err : new DeliveryError(String((err as Error)?.message ?? err));
    }
    const at = this.ctx.clock.now();
    const giveUp = error !== null && (error.permanent || attempt >= this.maxAttempts);
    const lastError = error ? error.message.slice(0, 500) : null;
    // The attempt and the delivery's new state together: a crash between them must not leave an
    // attempt recorded against a delivery that will be tried again under the same number.
    await this.ctx.transaction((tx) => this.store.recordAttempt(
      tx,
      { delivery_id: d.id, attempt, at, ok: error === null, status_code: error?.statusCode ?? null, error: lastError, duration_ms: Date.now() - started },
      {
        status: error === null ? 'delivered' : giveUp ? 'failed' : 'pending',
        nextAttemptAt: error === null || giveUp ? null : at + this.delays[attempt - 1],
        lastError,
        deliveredAt: error === null ? at : null,
      },
    ));
    if (error) {
      const log = giveUp ? this.ctx.log.warn : this.ctx.log.info;
      log.call(this.ctx.log, { delivery: d.id, channel: d.channel, attempt, err: error.message }, giveUp ? 'notify: delivery failed for good' : 'notify: delivery failed; will retry');
    }
  }
}
