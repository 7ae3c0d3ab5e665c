import type { Envelope, EventName, Handler } from './events.ts';

/**
 * The event bus every module publishes to and subscribes on. Modules never publish directly: they
 * write to the outbox inside their transaction, and the outbox relay publishes after commit.
 */
export interface EventBus {
  readonly kind: 'memory' | 'nats';
  /** Delivers one event to every subscription whose pattern matches its name. */
  publish(event: Envelope): Promise<void>;
  /**
   * Subscribes `group` to events matching `pattern` (an exact name, or a prefix ending in `.>`
   * like `cases.>`). Within one group each event is handled once, even across processes.
   */
  subscribe<N extends EventName>(pattern: N | `${string}.>`, group: string, handler: Handler<N>): Promise<() => Promise<void>>;
  /**
   * Hands every matching event to this process (each process gets its own copy), live only: no
   * retries, nothing replayed after a restart. For in-memory caches and live feeds.
   */
  listen<N extends EventName>(pattern: N | `${string}.>`, handler: Handler<N>): Promise<() => Promise<void>>;
  /** Throws if the bus cannot be reached (for /readyz). */
  ping(): Promise<void>;
  /** Milliseconds between an event's occurrence and its delivery, last observed (for /metrics). */
  lagMs(): number;
  close(): Promise<void>;
}

/** True when an event name matches a subscription pattern (`a.b.c` or `a.>`). */
export function matches(pattern: string, name: string): boolean {
  if (pattern === '>') return true;
  if (pattern.endsWith('.>')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}
