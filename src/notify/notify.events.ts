import type { Topic } from './topics.ts';

/** What a preferences change touched. */
export type PreferenceChange = 'channels' | 'webhookUrl' | 'webhookSecret';

/** The events the notify module publishes. */
declare module '../platform/bus/events.ts' {
  interface EventMap {
    /**
     * A message entered someone's inbox (its transaction committed). The module itself subscribes
     * to start deliveries on other channels; a live feed may use it to bump unread badges.
     */
    'notify.message.created': { v: 1; messageId: string; recipientId: string; topic: Topic };
    /**
     * A person changed where their messages go: `changed` says what (channels per topic, the webhook
     * URL, the signing secret). Carries the webhook's host only, never the URL (it may hold a token
     * of the receiving service) and never the secret.
     */
    'notify.preferences.updated': {
      v: 1;
      accountId: string;
      changed: PreferenceChange[];
      webhookHost: string | null;
      channels: Partial<Record<Topic, string[]>>;
    };
  }
}

export {};
