import type { Topic } from './topics.ts';

/** The events the notify module publishes. */
declare module '../platform/bus/events.ts' {
  interface EventMap {
    /**
     * A message entered someone's inbox (its transaction committed). The module itself subscribes
     * to start deliveries on other channels; a live feed may use it to bump unread badges.
     */
    'notify.message.created': { v: 1; messageId: string; recipientId: string; topic: Topic };
  }
}

export {};
