import type { AppContext } from '../platform/context.ts';
import type { HttpApp } from '../platform/module.ts';
import type { AccountService } from './account.service.ts';
import {
  AccountListQuerySchema,
  AccountPageSchema,
  AccountReplySchema,
  ChangePasswordBodySchema,
  CreateAccountBodySchema,
  IdParamsSchema,
  UpdateAccountBodySchema,
} from './org.schema.ts';
import { SESSION_COOKIE, type SessionService } from './session.service.ts';

/** /api/accounts: list and read within scope, create and change as an administrator, own password. */
export function accountRoutes(app: HttpApp, _ctx: AppContext, accounts: AccountService, sessions: SessionService): void {
  const tags = ['accounts'];

  app.get(
    '/accounts',
    { schema: { tags, summary: 'Accounts you may see: officials those in their scope, others their own', querystring: AccountListQuerySchema, response: { 200: AccountPageSchema } } },
    async (req) => accounts.list(req.principal, req.query),
  );

  app.get('/accounts/:id', { schema: { tags, summary: 'One account', params: IdParamsSchema, response: { 200: AccountReplySchema } } }, async (req) => ({
    account: await accounts.get(req.principal, req.params.id),
  }));

  app.post(
    '/accounts',
    { schema: { tags, summary: 'Create a staff account inside your scope (administrators)', body: CreateAccountBodySchema, response: { 201: AccountReplySchema } } },
    async (req, reply) => reply.status(201).send({ account: await accounts.create(req.principal, req.body) }),
  );

  app.patch(
    '/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Change display name or locale (own account), roles or disabled (administrators within scope)',
        params: IdParamsSchema,
        body: UpdateAccountBodySchema,
        response: { 200: AccountReplySchema },
      },
    },
    async (req) => ({ account: await accounts.update(req.principal, req.params.id, req.body) }),
  );

  app.post(
    '/accounts/:id/password',
    { schema: { tags, summary: 'Change your own password; your other sessions end. Wrong current passwords count towards the login lockout', params: IdParamsSchema, body: ChangePasswordBodySchema } },
    async (req, reply) => {
      await sessions.changePassword(req.principal, req.params.id, req.body, req.cookies[SESSION_COOKIE], req.ip);
      return reply.status(204).send();
    },
  );
}
