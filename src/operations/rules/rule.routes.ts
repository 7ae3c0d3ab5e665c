import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import type { AlertService } from './alert.service.ts';
import { AlertSchema, RuleBody, RuleSchema } from './rule.schema.ts';
import type { RuleService } from './rule.service.ts';

const tags = ['rules'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ maxLength: 80 }) });
const Version = Type.Object({ version: Type.Integer({ minimum: 1 }) });

/** /api/rules and /api/alerts. */
export function ruleRoutes(app: HttpApp, rules: RuleService, alerts: AlertService): void {
  app.get('/rules', {
    schema: { tags, security, summary: 'Rules that apply in your jurisdiction (the city\'s packs and your own)', response: { 200: Type.Object({ items: Type.Array(RuleSchema) }) } },
  }, async (req) => rules.list(req.principal));

  app.post('/rules', {
    schema: { tags, security, summary: 'Add a rule for a device type in your jurisdiction (checked against the type\'s metrics)', body: RuleBody, response: { 201: RuleSchema } },
  }, async (req, reply) => reply.status(201).send(await rules.create(req.principal, req.body)));

  app.put('/rules/:id', {
    schema: { tags, security, summary: 'Replace a rule (send the version you read)', params: IdParam, querystring: Version, body: RuleBody, response: { 200: RuleSchema } },
  }, async (req) => rules.update(req.principal, req.params.id, req.query.version, req.body));

  app.delete('/rules/:id', {
    schema: { tags, security, summary: 'Delete a rule (its alerts stay)', params: IdParam, querystring: Version, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await rules.remove(req.principal, req.params.id, req.query.version);
    return reply.status(204).send(null);
  });

  app.get('/alerts', {
    schema: {
      tags,
      security,
      summary: 'Alerts in your jurisdiction, newest first (status open = active or acknowledged)',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('active'), Type.Literal('acknowledged'), Type.Literal('cleared')])),
        severity: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Literal('critical')])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        cursor: Type.Optional(Type.String({ maxLength: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(AlertSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (req) => alerts.list(req.principal, req.query));

  app.get('/alerts/:id', { schema: { tags, security, summary: 'One alert with the readings that fired it', params: IdParam, response: { 200: AlertSchema } } }, async (req) => alerts.get(req.principal, req.params.id));

  app.post('/alerts/:id/acknowledge', {
    schema: { tags, security, summary: 'Acknowledge an active alert (operators of its jurisdiction)', params: IdParam, response: { 200: AlertSchema } },
  }, async (req) => alerts.acknowledge(req.principal, req.params.id));
}
