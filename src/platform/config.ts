import path from 'node:path';

/** Where the database lives: an SQLite file (embedded default) or a PostgreSQL server. */
export type DatabaseConfig =
  | {
      dialect: 'sqlite';
      file: string;
      /** How often a worker thread checkpoints the WAL (ms); 0 leaves it to SQLite, inside commits. */
      checkpointMs?: number;
      /** Telemetry's group commits run on their own connection in a worker thread (default true). */
      telemetryThread?: boolean;
    }
  | { dialect: 'postgres'; url: string; poolSize: number };

/** The one configuration object, read from YIWANG_* environment variables. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  /** undefined = in-process bus; otherwise a nats:// URL for NATS JetStream. */
  busUrl?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Secure flag on session cookies (set when served over HTTPS). */
  secureCookies: boolean;
  sessionTtlMs: number;
  logLevel: string;
  /** Serve the built web app from this folder if it exists. */
  webDir: string;
  /**
   * Which proxies' X-Forwarded-For to believe: false (none) or a list of proxy addresses/CIDRs.
   * Never "all": then any client could name its own IP and dodge the login limit.
   */
  trustProxy: false | string[];
  /** Other web origins (scheme://host:port) whose pages may send writes, besides this server's own. */
  allowedOrigins: string[];
  /** Hosts NGSI-LD notifications may reach although private or loopback (`*`: any). */
  notifyPrivateHosts: string[];
  /** Demo city: the login page may list the demo accounts. Set by `yiwang demo`. */
  demo: boolean;
  /**
   * How many city components the demo city seeds, as a fraction of a realistic density: 1 puts
   * about a million in 浦东新区 and lighter densities elsewhere; tests use a small fraction.
   */
  demoScale: number;
  /**
   * The embedded MQTT broker's port (0 = any free port). Default 1884: development machines often
   * run a Mosquitto on MQTT's own 1883, and the embedded broker must not collide with it.
   */
  mqttPort: number;
  /** undefined = the embedded broker; otherwise an mqtt:// or mqtts:// URL of the broker to consume from. */
  mqttUrl?: string;
  /** With an external broker: this instance's stable MQTT client id (a persistent session); undefined = a fresh clean session per start. */
  mqttClientId?: string;
  /** With an external broker: the shared-subscription group of this deployment's processes (default yiwang). */
  mqttShareGroup: string;
  /** Cases: a new report of the same category this close (metres) to an open case is proposed as its duplicate. */
  caseDuplicateMetres: number;
  /** … and opened at most this many hours before it. */
  caseDuplicateHours: number;
  /**
   * The address people reach Yiwang at (scheme://host[:port], no trailing slash). It names the
   * credential issuer (`iss`) and goes into status-list URIs and the verification QR of certificates,
   * so it must stay stable once credentials are out.
   */
  publicUrl: string;
}

/** Raised when a YIWANG_* variable holds a value we cannot use; names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.trim());
  if (!/^\d*\.?\d+$/.test(raw.trim()) || !Number.isFinite(n)) throw new ConfigError(name, `must be a number, got "${raw}"`);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL: "${raw}"`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new ConfigError(name, `must start with ${schemes.map((s) => s + '://').join(' or ')}, got "${scheme}://"`);
  }
  return raw;
}

function trustProxy(env: NodeJS.ProcessEnv): false | string[] {
  const raw = env.YIWANG_TRUST_PROXY?.trim();
  if (!raw || /^(false|no|off)$/i.test(raw)) return false;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const ipOrCidr = /^((\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/i;
  const bad = list.find((s) => !ipOrCidr.test(s));
  if (bad !== undefined || list.length === 0) {
    throw new ConfigError('YIWANG_TRUST_PROXY', `must be a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8, or loopback), got "${bad ?? raw}"`);
  }
  return list;
}

function origins(env: NodeJS.ProcessEnv): string[] {
  const raw = env.YIWANG_ALLOWED_ORIGINS?.trim();
  if (!raw) return [];
  return raw.split(',').map((o) => {
    const s = o.trim();
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new ConfigError('YIWANG_ALLOWED_ORIGINS', `"${s}" is not an origin like https://portal.example.gov.cn`);
    }
    if (!/^https?:$/.test(u.protocol) || u.pathname !== '/' || u.search || u.hash) {
      throw new ConfigError('YIWANG_ALLOWED_ORIGINS', `"${s}" is not an origin like https://portal.example.gov.cn (scheme, host and port only)`);
    }
    return u.origin;
  });
}

/** An MQTT client id or share group name: plain characters only (no / + # in topics). */
function clientId(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(raw)) throw new ConfigError(name, `must be 1–64 letters, digits, dots, dashes or underscores, got "${raw}"`);
  return raw;
}

/** Reads the configuration; every default makes the embedded mode work with no setup. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.YIWANG_DATA_DIR?.trim() || './var');
  const dbUrl = url(env, 'YIWANG_DATABASE_URL', ['postgres', 'postgresql']);
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const logLevel = env.YIWANG_LOG_LEVEL?.trim() || 'info';
  if (!levels.includes(logLevel)) throw new ConfigError('YIWANG_LOG_LEVEL', `must be one of ${levels.join(', ')}`);
  return {
    port: int(env, 'YIWANG_PORT', 8080, 0, 65535),
    host: env.YIWANG_HOST?.trim() || '0.0.0.0',
    dataDir,
    database: dbUrl
      ? { dialect: 'postgres', url: dbUrl, poolSize: int(env, 'YIWANG_DATABASE_POOL', 10, 1, 200) }
      : { dialect: 'sqlite', file: path.join(dataDir, 'yiwang.sqlite'), checkpointMs: int(env, 'YIWANG_SQLITE_CHECKPOINT_MS', 1000, 0, 3_600_000), telemetryThread: bool(env, 'YIWANG_SQLITE_TELEMETRY_THREAD', true) },
    busUrl: url(env, 'YIWANG_BUS_URL', ['nats']),
    bodyLimit: int(env, 'YIWANG_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    secureCookies: bool(env, 'YIWANG_SECURE_COOKIES', false),
    sessionTtlMs: int(env, 'YIWANG_SESSION_HOURS', 12, 1, 24 * 30) * 3600_000,
    logLevel,
    webDir: path.resolve(env.YIWANG_WEB_DIR?.trim() || 'web/dist'),
    trustProxy: trustProxy(env),
    allowedOrigins: origins(env),
    notifyPrivateHosts: (env.YIWANG_NOTIFY_PRIVATE_HOSTS ?? '').split(',').map((h) => h.trim().replace(/^\[|\]$/g, '').toLowerCase()).filter(Boolean),
    demo: bool(env, 'YIWANG_DEMO', false),
    demoScale: fraction(env, 'YIWANG_DEMO_SCALE', 1, 0, 20),
    mqttPort: int(env, 'YIWANG_MQTT_PORT', 1884, 0, 65535),
    mqttUrl: url(env, 'YIWANG_MQTT_URL', ['mqtt', 'mqtts']),
    mqttClientId: clientId(env, 'YIWANG_MQTT_CLIENT_ID'),
    mqttShareGroup: clientId(env, 'YIWANG_MQTT_SHARE_GROUP') ?? 'yiwang',
    caseDuplicateMetres: int(env, 'YIWANG_CASE_DUPLICATE_METRES', 50, 1, 5000),
    caseDuplicateHours: int(env, 'YIWANG_CASE_DUPLICATE_HOURS', 72, 1, 24 * 90),
    publicUrl: publicUrl(env),
  };
}

function publicUrl(env: NodeJS.ProcessEnv): string {
  const given = url(env, 'YIWANG_PUBLIC_URL', ['http', 'https']);
  if (given) return given.replace(/\/+$/, '');
  const port = int(env, 'YIWANG_PORT', 8080, 0, 65535);
  return `http://localhost${port && port !== 80 ? `:${port}` : ''}`;
}
