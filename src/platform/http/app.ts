import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.ts';
import type { HttpApp, Module } from '../module.ts';
import type { Principal } from '../access.ts';
import { AppError } from '../errors.ts';
import { sendProblem, toProblem } from './problem.ts';
import { registerMetrics } from './metrics.ts';
import { buildSerializer, buildValidator } from './validation.ts';
import { assertCleanText } from './text-guard.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null for an anonymous request. */
    principal: Principal | null;
  }
}

/** The areas of the web app; deep links into them are answered with the app's index.html. */
const WEB_AREAS = ['/login', '/portal', '/workbench', '/command', '/worker', '/verify'];

/**
 * Requests that never act for anyone — health, metrics, API docs, the web app's files and pages —
 * skip authentication: it costs database reads, and a stale token must not fail a health check.
 */
function needsPrincipal(url: string): boolean {
  const p = url.split('?')[0]!;
  if (p === '/healthz' || p === '/readyz' || p === '/metrics' || p.startsWith('/api/docs')) return false;
  // Component tiles are for officials; base-map tiles are public and skip the session lookup.
  if (p.startsWith('/api/') || p.startsWith('/tiles/components/') || p.startsWith('/open311/')) return true;
  if (p === '/' || /\.[a-z0-9]+$/i.test(p) || WEB_AREAS.some((a) => p === a || p.startsWith(a + '/'))) return false;
  return true; // standard APIs mounted at the root (/ogc, /ngsi-ld, …)
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when a request's Origin header names this server itself or a configured origin. */
export function sameOrAllowedOrigin(origin: string, host: string, allowed: string[]): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null" (sandboxed frames, file://)
  }
  // Host (with port) only: behind a TLS-terminating proxy this server sees http while the page is https.
  if (u.host === host) return true;
  return allowed.includes(u.origin);
}

export interface HttpOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Builds the Fastify app: problem+json errors, auth, OpenAPI, health, metrics, every module's routes, the web app. */
export async function createHttpApp(ctx: AppContext, modules: Module[], opts: HttpOptions = {}): Promise<HttpApp> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    // One line per request is for debugging; /metrics carries the counts and latencies.
    disableRequestLogging: !['debug', 'trace'].includes(ctx.config.logLevel),
    schemaController: { compilersFactory: { buildValidator: buildValidator as never, buildSerializer: buildSerializer as never } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;

  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(reply, req, p);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, toProblem(new AppError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`))));

  // Cross-site request forgery: a browser names the page's origin on every cross-site write, and a
  // cookie would ride along with it. Writes from a page of another origin are refused, whoever
  // they claim to be (SameSite=Lax cookies alone still let sibling subdomains through).
  app.addHook('onRequest', async (req) => {
    if (!UNSAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    if (origin === undefined) return; // not a browser page: curl, a gateway, a server-side client
    if (!sameOrAllowedOrigin(origin, req.host, ctx.config.allowedOrigins)) {
      throw new AppError('ORIGIN_FORBIDDEN', `A page on ${origin} may not send ${req.method} requests to this server`, 'origin');
    }
  });

  // Before schema validation: refuse NUL and unpaired surrogates anywhere in the request.
  app.addHook('preValidation', async (req) => {
    assertCleanText(req.query, '');
    assertCleanText(req.params, '');
    assertCleanText(req.body, '');
  });

  await app.register(cookie);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    if (ctx.authenticator && needsPrincipal(req.url)) req.principal = await ctx.authenticator.authenticate(req);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Yiwang 一网 API', version: '0.1.0', description: 'Services (一网通办) and operations (一网统管) of a megacity.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'yiwang_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerMetrics(app, ctx);
  app.get('/healthz', { schema: { hide: true } as never }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } as never }, async (_req, reply) => {
    // The reasons go to the log, not to whoever asks: error text can name hosts and users.
    const checks: Record<string, string> = {};
    const fail = (name: string) => (e: Error) => {
      checks[name] = 'unreachable';
      ctx.log.warn({ err: e }, `readiness: ${name} unreachable`);
    };
    await ctx.database.ping().then(() => (checks.database = 'ok'), fail('database'));
    await ctx.bus.ping().then(() => (checks.bus = 'ok'), fail('bus'));
    const ok = Object.values(checks).every((v) => v === 'ok');
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'unavailable', dialect: ctx.dialect, bus: ctx.bus.kind, checks };
  });

  for (const m of modules) {
    if (m.routes) await app.register(async (scoped) => m.routes!(scoped as HttpApp, ctx), { prefix: '/api' });
    if (m.rootRoutes) await app.register(async (scoped) => m.rootRoutes!(scoped as HttpApp, ctx));
  }
  app.get('/api/openapi.json', { schema: { hide: true } as never }, async () => app.swagger());

  const webDir = ctx.config.webDir;
  const indexHtml = path.join(webDir, 'index.html');
  if (fs.existsSync(indexHtml)) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    for (const area of WEB_AREAS) {
      const serveIndex = (_req: unknown, reply: any) => reply.type('text/html; charset=utf-8').sendFile('index.html');
      app.get(area, { schema: { hide: true } as never }, serveIndex);
      app.get(`${area}/*`, { schema: { hide: true } as never }, serveIndex);
    }
  } else {
    app.get('/', { schema: { hide: true } as never }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send(`Yiwang API is running. The web app is not built (no ${indexHtml}); run \`npm run build:web\`.\nAPI docs: /api/docs\n`),
    );
  }
  return app;
}
