import type { EventBus } from './bus.ts';
import { matches } from './bus.ts';
import type { Envelope, Handler } from './events.ts';

interface Sub {
  pattern: string;
  group: string;
  handler: Handler<any>;
}

/** The in-process bus of the embedded mode: handlers run after publish, one per group, errors logged. */
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

  async publish(event: Envelope): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    // One delivery per group, as queue groups do on NATS.
    const seen = new Set<string>();
    for (const sub of this.subs) {
      if (!matches(sub.pattern, event.name) || seen.has(sub.group + '\0' + sub.pattern)) continue;
      seen.add(sub.group + '\0' + sub.pattern);
      this.lastLag = Math.max(0, Date.now() - event.occurredAt);
      await this.deliver(sub, event);
    }
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
    const sub = { pattern, group, handler };
    this.subs.push(sub);
    return async () => {
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
