import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { buildYiwang } from '../app.ts';
import { consoleLogger } from '../platform/logger.ts';
import { createContext, closeContext, migrateAll } from '../platform/runtime.ts';
import { modules } from '../modules.ts';
import { progressPrinter } from './progress.ts';
import { simulateCmd } from './simulate.ts';
import type { Principal } from '../platform/access.ts';
import { AppError } from '../platform/errors.ts';
import { describeRowError, type RowError } from '../operations/components/import/import.schema.ts';

const USAGE = `yiwang — 一网 city platform

Usage:
  yiwang serve            run the server (YIWANG_PORT, default 8080)
  yiwang migrate          apply pending database migrations
  yiwang seed [--demo]    load reference data (jurisdictions, departments); --demo adds demo accounts
  yiwang demo             migrate + seed the demo city + serve
  yiwang audit verify     check the audit log's hash chain; exit 1 and say where if it is broken
  yiwang simulate [--scenario day|typhoon] [--devices N] [--speed X] [--minutes M]
                          drive the demo city's devices over MQTT against a running server
  yiwang import components FILE [--scope CODE] [--batch N]
                          import city components from CSV, GeoJSON or NDJSON (as the system, in
                          jurisdiction CODE, default 310000); Ctrl-C stops, running it again resumes

Configuration comes from YIWANG_* environment variables; see the README's Configuration section.
`;

async function serve(config: Config): Promise<void> {
  const y = await buildYiwang(config, { logger: { level: config.logLevel }, log: consoleLogger() });
  await y.start();
  await y.app.listen({ port: config.port, host: config.host });
  const address = y.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  process.stderr.write(`Yiwang is serving http://${shown}:${port}  (database: ${config.database.dialect}, bus: ${y.ctx.bus.kind})\n`);
  const mqttPort = (y.ctx.services as Partial<typeof y.ctx.services>).mqtt?.port;
  if (mqttPort) process.stderr.write(`devices connect to mqtt://${shown}:${mqttPort}\n`);
  else if (config.mqttUrl) process.stderr.write(`device telemetry is read from ${new URL(config.mqttUrl).host}\n`);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: shutting down\n`);
    await y.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await new Promise(() => {});
}

async function migrateCmd(config: Config): Promise<void> {
  const ctx = await createContext(config, modules, { log: consoleLogger() });
  try {
    const { applied } = await migrateAll(ctx, modules, (m, n) => process.stderr.write(`migrating ${m}/${n}\n`));
    process.stderr.write(applied.length ? `applied ${applied.length} migration(s)\n` : 'database is up to date\n');
  } finally {
    await closeContext(ctx);
  }
}

async function seedCmd(config: Config, demo: boolean): Promise<void> {
  const y = await buildYiwang(config, { log: consoleLogger() });
  try {
    await y.seed({ demo, progress: progressPrinter() });
  } finally {
    await y.close();
  }
}

async function auditVerify(config: Config): Promise<number> {
  const ctx = await createContext(config, modules, { log: consoleLogger() });
  try {
    const progress = progressPrinter();
    const { checked, problems, head } = await ctx.audit.verify((done, total) => progress('verifying audit log', done, total));
    if (problems.length === 0) {
      process.stdout.write(`audit log intact: ${checked} entries verified\n`);
      // Kept elsewhere, the head hash also exposes a wholesale rewrite of the chain later on.
      if (head) process.stdout.write(`head: entry ${head.seq} ${head.hash}\n`);
      return 0;
    }
    process.stdout.write(`audit log BROKEN: ${problems.length} problem(s) in ${checked} entries\n`);
    for (const p of problems) process.stdout.write(`  entry ${p.seq}: ${p.problem}\n`);
    return 1;
  } finally {
    await closeContext(ctx);
  }
}

/** Reads `--name value` from args; the rest are positional. */
function options(args: string[], names: string[]): { values: Record<string, string>; positional: string[]; unknown: string[] } {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : null;
    if (name === null) positional.push(a);
    else if (!names.includes(name)) unknown.push(a);
    else values[name] = eq > 0 ? a.slice(eq + 1) : (args[++i] ?? '');
  }
  return { values, positional, unknown };
}

/**
 * `yiwang import components FILE`: imports as the system, in a jurisdiction (default the whole
 * city). Ctrl-C stops after the batch being written; running the same command again resumes there.
 * Exit 0 when done (refused rows are counted and listed in the error file), 1 when the file cannot
 * be imported, 130 when interrupted.
 */
async function importComponents(config: Config, args: string[]): Promise<number> {
  const { values, positional, unknown } = options(args, ['scope', 'batch']);
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  if (positional.length !== 1 || unknown.length || (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 100_000))) {
    process.stderr.write(`usage: yiwang import components FILE [--scope CODE] [--batch N]  (N: 1–100000 rows per transaction)\n`);
    return 2;
  }
  const file = path.resolve(positional[0]!);
  const scope = values.scope ?? '310000';
  const y = await buildYiwang(config, { log: consoleLogger() });
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping after the batch being written… (press Ctrl-C again to quit at once; that batch is then redone on resume)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const places = y.ctx.services.jurisdictions;
    if (places.size() === 0) await places.load();
    await y.ctx.services.components.types.ready(y.ctx.db);
    if (places.size() === 0 || y.ctx.services.components.types.all().length === 0) {
      process.stderr.write('yiwang import: the database has no jurisdictions or component types yet; run `yiwang migrate` and `yiwang seed` first\n');
      return 1;
    }
    if (!places.get(scope)) {
      process.stderr.write(`yiwang import: --scope ${scope} is not a jurisdiction code (e.g. 310000 for the city, 310115 for 浦东新区)\n`);
      return 2;
    }
    const system: Principal = { accountId: 'cli', username: 'cli', displayName: 'yiwang import (command line)', roles: ['system'], departmentCode: null, scopeCode: scope, via: 'token' };
    const progress = progressPrinter();
    const label = `importing ${path.basename(file)}`;
    const firstErrors: RowError[] = [];
    let first: { at: number; rows: number } | null = null;
    const started = await y.ctx.services.componentImports.start(system, file, {
      batchSize: batch,
      signal: abort.signal,
      resumeHint: 'run the same command again to resume',
      onRowError: (e) => void (firstErrors.length < 5 && firstErrors.push(e)),
      // An import into an empty registry builds its indexes at the end: minutes at millions of rows.
      onIndexing: (step, done, total) => progress('building indexes', done, total, { note: step }),
      onProgress: (p) => {
        first ??= { at: Date.now(), rows: p.rows };
        const secs = Math.max((Date.now() - first.at) / 1000, 0.001);
        const rate = Math.round((p.rows - first.rows) / secs);
        progress(label, p.bytes, p.totalBytes, { unit: 'bytes', note: `${p.rows.toLocaleString('en')} rows (${rate.toLocaleString('en')} rows/s)` });
      },
    });
    const { job, resumedFrom } = started;
    process.stdout.write(
      resumedFrom
        ? `resuming import ${job.id} of ${job.fileName} from line ${resumedFrom.line} (${resumedFrom.rows.toLocaleString('en')} rows already done)\n`
        : `import ${job.id}: ${job.fileName} (${job.format}, ${(job.totalBytes / 1024 / 1024).toFixed(1)} MB) into ${scope}\n`,
    );
    const done = await started.done;
    const n = (x: number) => x.toLocaleString('en');
    const rows = done.created + done.updated + done.unchanged + done.failed;
    if (done.status === 'interrupted') {
      process.stdout.write(`interrupted: ${n(rows)} rows done (${n(done.created)} created, ${n(done.updated)} updated, ${n(done.unchanged)} unchanged, ${n(done.failed)} refused); run the same command again to resume\n`);
      return 130;
    }
    process.stdout.write(`done: ${n(rows)} rows — ${n(done.created)} created, ${n(done.updated)} updated, ${n(done.unchanged)} unchanged, ${n(done.failed)} refused\n`);
    if (done.failed > 0) {
      process.stdout.write(`${n(done.failed)} row(s) were refused; each is listed with its line, field and reason in ${y.ctx.services.componentImports.errorFilePath(done.id)}\n`);
      for (const e of firstErrors) process.stdout.write(`  ${describeRowError(e)}\n`);
      if (done.failed > firstErrors.length) process.stdout.write(`  …\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`yiwang import: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await y.close();
  }
}

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`yiwang: invalid configuration: ${err.message}\n`);
      return 78; // EX_CONFIG
    }
    throw err;
  }
  try {
    switch (cmd) {
      case 'serve':
        await serve(config);
        return 0;
      case 'migrate':
        await migrateCmd(config);
        return 0;
      case 'seed':
        await seedCmd(config, rest.includes('--demo'));
        return 0;
      case 'demo':
        await migrateCmd(config);
        await seedCmd(config, true);
        await serve({ ...config, demo: true });
        return 0;
      case 'audit':
        if (rest[0] === 'verify') return await auditVerify(config);
        break;
      case 'import':
        if (rest[0] === 'components') return await importComponents(config, rest.slice(1));
        break;
      case 'simulate':
        return await simulateCmd(config, rest);
    }
  } catch (err) {
    process.stderr.write(`yiwang ${cmd}: ${(err as Error).stack ?? err}\n`);
    return 1;
  }
  process.stderr.write(`yiwang: unknown command "${argv.join(' ')}"\n\n${USAGE}`);
  return 2;
}
