import type { AccountView } from '../org/index.ts';
import type { Module } from '../platform/module.ts';
import { DeliveryDispatcher, type DeliveryAdapter, type DispatcherOptions } from './delivery.ts';
import { m0001 } from './migrations/0001_init.ts';
import { m0002 } from './migrations/0002_webhook_url_text.ts';
import { notifyRoutes } from './notify.routes.ts';
import { NotifyService } from './notify.service.ts';
import { NotifyStore } from './notify.store.ts';
import { WebhookAdapter, type WebhookOptions } from './webhook.ts';
import './notify.events.ts';

export type { NotifyService, SendInput, SendResult } from './notify.service.ts';
export type { DeliveryAdapter, DeliverableMessage, RecipientPrefs } from './delivery.ts';
export { DeliveryError } from './delivery.ts';
export { TOPICS, TOPIC_LABELS, type Topic } from './topics.ts';
export { verifyWebhookSignature, SIGNATURE_HEADER } from './webhook.ts';

declare module '../platform/context.ts' {
  interface Services {
    /** The message centre: `send(tx, {...})` / `sendMany` from any module, inside its transaction. */
    notify: NotifyService;
  }
}

export interface NotifyOptions extends DispatcherOptions {
  webhook?: WebhookOptions;
  /** Channels besides the inbox; default: the webhook adapter. */
  adapters?: DeliveryAdapter[];
  /** How often due deliveries (retries) are looked for (default 5 s). */
  pollMs?: number;
}

/** The message centre with its options (tests allow local webhooks and short retries). */
export function createNotifyModule(opts: NotifyOptions = {}): Module {
  return {
    name: 'notify',
    migrations: [m0001, m0002],

    init(ctx) {
      const store = new NotifyStore(ctx.dialect);
      const adapters = opts.adapters ?? [new WebhookAdapter(opts.webhook)];
      let svc: NotifyService;
      const dispatcher = new DeliveryDispatcher(ctx, store, (id) => svc.deliverable(id), adapters, opts);
      svc = new NotifyService(ctx, store, dispatcher, opts.webhook);
      // Officials' messages are checked against org's accounts when org is part of this composition
      // (looked up per call, so the order of modules does not matter); without org, nobody can be
      // checked, so nobody is messaged through the API.
      svc.useRecipientLookup(async (id) => {
        const accounts = (ctx.services as Partial<typeof ctx.services>).accounts;
        const account = accounts ? await accounts.find(id) : null;
        return account ? { jurisdictionCode: account.jurisdictionCode } : null;
      });
      ctx.services.notify = svc;
    },

    routes(app, ctx) {
      notifyRoutes(app, ctx.services.notify);
    },

    async subscribe(ctx) {
      // Deliveries start after commit, from the bus: one process of the group enqueues them.
      await ctx.bus.subscribe('notify.message.created', 'notify.delivery', async (e) => {
        await ctx.services.notify.deliveries.enqueue(e.payload.messageId);
      });
    },

    start(ctx) {
      const deliveries = ctx.services.notify.deliveries;
      const timer = setInterval(() => deliveries.kick(), opts.pollMs ?? 5000);
      timer.unref();
      deliveries.kick();
      return async () => {
        clearInterval(timer);
        await deliveries.stop();
      };
    },
  };
}

/** The message centre every other module uses (ctx.services.notify). */
export const notifyModule: Module = createNotifyModule();
