import { Type } from 'typebox';
import type { HttpApp } from '../platform/module.ts';
import { IdParam, ListQuery, ListReply, MessageSchema, PreferencesSchema, PreferencesUpdate, ReadAllBody, SendBody, TopicsReply } from './notify.schema.ts';
import type { NotifyService } from './notify.service.ts';

const tags = ['messages'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

/** The message centre's HTTP face: the caller's own inbox and preferences, and sending for officials. */
export function notifyRoutes(app: HttpApp, svc: NotifyService): void {
  app.get('/messages', {
    schema: { tags, security, summary: 'My messages, newest first, with unread counts per topic', querystring: ListQuery, response: { 200: ListReply } },
  }, async (req) => svc.list(req.principal, req.query));

  app.post('/messages', {
    schema: {
      tags,
      security,
      summary: 'Send a message to an account (officials with notify.send; audited)',
      body: SendBody,
      response: { 201: Type.Object({ id: Type.String(), created: Type.Boolean() }) },
    },
  }, async (req, reply) => {
    const result = await svc.sendAs(req.principal, req.body);
    return reply.status(201).send(result);
  });

  app.get('/messages/topics', {
    schema: { tags, summary: 'The message topics with zh-CN and English labels, and the delivery channels', response: { 200: TopicsReply } },
  }, async () => svc.topics());

  app.get('/messages/preferences', {
    schema: { tags, security, summary: 'My delivery preferences', response: { 200: PreferencesSchema } },
  }, async (req) => svc.preferences(req.principal));

  app.put('/messages/preferences', {
    schema: {
      tags,
      security,
      summary: 'Change my delivery preferences: channels per topic, webhook URL (a first URL returns the new signing secret, once)',
      body: PreferencesUpdate,
      response: { 200: PreferencesSchema },
    },
  }, async (req) => svc.updatePreferences(req.principal, req.body));

  app.post('/messages/preferences/webhook-secret', {
    schema: {
      tags,
      security: [{ session: [] }],
      summary: 'Replace my webhook signing secret; the reply shows the new one, once (signed-in session only)',
      response: { 200: PreferencesSchema },
    },
  }, async (req) => svc.rotateWebhookSecret(req.principal));

  app.post('/messages/read-all', {
    schema: { tags, security, summary: 'Mark all my messages (of one topic) read; the body may be left out', body: ReadAllBody, response: { 200: Type.Object({ updated: Type.Integer() }) } },
    // "Mark everything read" is naturally a POST without a body.
    preValidation: async (req) => {
      if (req.body === undefined || req.body === null) req.body = {};
    },
  }, async (req) => svc.markAllRead(req.principal, req.body.topic));

  app.get('/messages/:id', {
    schema: { tags, security, summary: 'One of my messages', params: IdParam, response: { 200: MessageSchema } },
  }, async (req) => svc.get(req.principal, req.params.id));

  app.post('/messages/:id/read', {
    schema: { tags, security, summary: 'Mark one of my messages read', params: IdParam, response: { 200: MessageSchema } },
  }, async (req) => svc.markRead(req.principal, req.params.id));
}
