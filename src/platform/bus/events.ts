/**
 * The typed map of every event on the bus: name → payload. Empty here; each module adds its events
 * in its `*.events.ts` by declaration merging:
 *
 *   declare module '../../platform/bus/events.ts' {
 *     interface EventMap { 'org.account.created': { v: 1; accountId: string } }
 *   }
 *
 * Names are past-tense and dotted (`<module>.<thing>.<happened>`); payloads carry a version `v`
 * so a subscriber can tell an old shape from a new one.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EventMap {}

export type EventName = keyof EventMap & string;

/** What travels on the bus: the payload plus identity and time. `id` is unique per event. */
export interface Envelope<N extends string = EventName> {
  id: string;
  name: N;
  occurredAt: number;
  payload: N extends keyof EventMap ? EventMap[N] : unknown;
}

/** A subscriber's handler. Throwing makes the bus redeliver (NATS) or log and move on (in-process). */
export type Handler<N extends string = EventName> = (event: Envelope<N>) => Promise<void> | void;
