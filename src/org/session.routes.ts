import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import type { HttpApp } from '../platform/module.ts';
import type { AccountService } from './account.service.ts';
import {
  AccountReplySchema,
  CreatedTokenSchema,
  CreateTokenBodySchema,
  DemoAccountSchema,
  IdParamsSchema,
  LoginBodySchema,
  TokenViewSchema,
} from './org.schema.ts';
import { SESSION_COOKIE, type SessionService } from './session.service.ts';
import type { TokenService } from './token.service.ts';

export interface AuthRouteDeps {
  sessions: SessionService;
  tokens: TokenService;
  accounts: AccountService;
}

/** /api/auth: login, logout, me, API tokens, and the demo accounts list. */
export function authRoutes(app: HttpApp, ctx: AppContext, deps: AuthRouteDeps): void {
  const tags = ['auth'];
  const cookieOptions = () => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.secureCookies });

  app.post(
    '/auth/login',
    { schema: { tags, summary: 'Sign in; sets the HttpOnly session cookie', body: LoginBodySchema, response: { 200: AccountReplySchema } } },
    async (req, reply) => {
      const r = await deps.sessions.login({ username: req.body.username, password: req.body.password, ip: req.ip, userAgent: req.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, r.token, { ...cookieOptions(), maxAge: Math.floor(ctx.config.sessionTtlMs / 1000) });
      return { account: r.account };
    },
  );

  app.post('/auth/logout', { schema: { tags, summary: 'Sign out; ends the session' } }, async (req, reply) => {
    await deps.sessions.logout(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, cookieOptions());
    return reply.status(204).send();
  });

  app.get('/auth/me', { schema: { tags, summary: 'The signed-in account', response: { 200: AccountReplySchema } } }, async (req) => {
    if (!req.principal) throw new AppError('AUTH_REQUIRED');
    return { account: await deps.accounts.get(req.principal, req.principal.accountId) };
  });

  app.post(
    '/auth/tokens',
    { schema: { tags, summary: 'Create an API token (shown once)', body: CreateTokenBodySchema, response: { 201: CreatedTokenSchema } } },
    async (req, reply) => {
      const created = await deps.tokens.create(req.principal, req.body);
      return reply.status(201).send(created);
    },
  );

  app.get('/auth/tokens', { schema: { tags, summary: 'Your API tokens', response: { 200: Type.Object({ items: Type.Array(TokenViewSchema) }) } } }, async (req) => ({
    items: await deps.tokens.list(req.principal),
  }));

  app.delete('/auth/tokens/:id', { schema: { tags, summary: 'Revoke one of your API tokens', params: IdParamsSchema } }, async (req, reply) => {
    await deps.tokens.revoke(req.principal, req.params.id);
    return reply.status(204).send();
  });

  app.get(
    '/auth/demo-accounts',
    { schema: { tags, summary: 'Demo accounts, when the demo city is loaded (empty otherwise)', response: { 200: Type.Object({ items: Type.Array(DemoAccountSchema) }) } } },
    async () => ({ items: await deps.accounts.demoAccounts() }),
  );
}
