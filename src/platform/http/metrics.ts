import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../context.ts';
import type { HttpApp } from '../module.ts';

/**
 * Prometheus metrics: requests and latencies by route (the route pattern, not the raw URL, so
 * cardinality stays bounded), event-bus lag and outbox backlog, database pool, process defaults.
 */
export function registerMetrics(app: HttpApp, ctx: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'yiwang_process_' });
  const requests = new Counter({ name: 'yiwang_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'yiwang_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({ name: 'yiwang_bus_lag_seconds', help: 'Delay between an event occurring and its delivery, last observed', registers: [registry], collect() { this.set(ctx.bus.lagMs() / 1000); } });
  new Gauge({
    name: 'yiwang_outbox_pending',
    help: 'Committed events not yet published',
    registers: [registry],
    async collect() {
      this.set(await ctx.outbox.pending().catch(() => -1));
    },
  });
  new Gauge({
    name: 'yiwang_outbox_parked',
    help: 'Events given up on after repeated publish failures (see docs/events-and-audit.md)',
    registers: [registry],
    async collect() {
      this.set(await ctx.outbox.parked().catch(() => -1));
    },
  });
  new Gauge({ name: 'yiwang_outbox_published_total', help: 'Events published by this process', registers: [registry], collect() { this.set(ctx.outbox.publishedCount()); } });
  const pool = new Gauge({
    name: 'yiwang_db_pool_connections',
    help: 'Database connections by state',
    labelNames: ['dialect', 'state'],
    registers: [registry],
    collect() {
      const s = ctx.database.poolStats();
      pool.set({ dialect: ctx.dialect, state: 'total' }, s.total);
      pool.set({ dialect: ctx.dialect, state: 'idle' }, s.idle);
      pool.set({ dialect: ctx.dialect, state: 'waiting' }, s.waiting);
    },
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } as never }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
