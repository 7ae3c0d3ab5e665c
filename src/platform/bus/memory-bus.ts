import type { EventBus } from './bus.ts';
import { matches } from './bus.ts';
import type { Envelope, Handler } from './events.ts';

interface Sub {
  pattern: string;
  group: string;
  handler: Handler<any>;
  /** The subscription's last delivery: each subscription takes its events one at a time, in order. */
  tail: Promise<void>;
  /** Unsubscribed: what is still queued for it is dropped. */
  gone: boolean;
}

/**
 * The in-process bus of the embedded mode: handlers run after publish, one per group, errors
 * logged. Each subscription has its own queue, as a NATS consumer does: it gets its events in
 * publish order, one at a time, and a slow one (the cases module opening a case for an alert)
 * does not hold up the others (the live map hearing of the alert).
 */
export class MemoryBus implements EventBus {
  readonly kind = 'memory' as const;
  private subs: Sub[] = [];
  private lastLag = 0;
  private listeners = 0;
  private closed = false;

  constructor(
    private readonly onError: (err: unknown, event: Envelope) => void = () => {},
    private readonly retryDelaysMs: number[] = [50, 250, 1000],
  ) {}

  /** Queues the event for every matching subscription; resolves once all of them have handled it. */
  publish(event: Envelope): Promise<void> {
    if (this.closed) return Promise.reject(new Error('bus closed'));
    // One delivery per group, as queue groups do on NATS.
    const seen = new Set<string>();
    const handled: Array<Promise<void>> = [];
    for (const sub of this.subs) {
      if (!matches(sub.pattern, event.name) || seen.has(sub.group + '\0' + sub.pattern)) continue;
      seen.add(sub.group + '\0' + sub.pattern);
      // A handler's failure is retried, then logged (deliver); only a bus closed meanwhile fails the
      // publish, so that the outbox does not count the event as handled.
      const run = sub.tail.then(() => {
        if (this.closed) throw new Error('bus closed');
        if (sub.gone) return;
        this.lastLag = Math.max(0, Date.now() - event.occurredAt);
        return this.deliver(sub, event);
      });
      sub.tail = run.catch(() => {});
      handled.push(run);
    }
    return Promise.all(handled).then(() => undefined);
  }

  /**
   * Runs one handler, retrying a few times with a short back-off (a busy database, a moment's
   * contention), as NATS would redeliver; a handler that still fails is logged.
   */
  private async deliver(sub: Sub, event: Envelope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sub.handler(event);
        return;
      } catch (err) {
        if (attempt >= this.retryDelaysMs.length + 1 || this.closed) {
          this.onError(err, event);
          return;
        }
        await new Promise((r) => setTimeout(r, this.retryDelaysMs[attempt - 1]));
      }
    }
  }

  async subscribe(pattern: string, group: string, handler: Handler<any>): Promise<() => Promise<void>> {
    const sub: Sub = { pattern, group, handler, tail: Promise.resolve(), gone: false };
    this.subs.push(sub);
    return async () => {
      sub.gone = true;
      this.subs = this.subs.filter((s) => s !== sub);
    };
  }

  /** One process: a group of its own gets every event. */
  async listen(pattern: string, handler: Handler<any>): Promise<() => Promise<void>> {
    return this.subscribe(pattern, `listen:${++this.listeners}`, handler);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('bus closed');
  }

  lagMs(): number {
    return this.lastLag;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs = [];
  }
}
