/** The small logging surface modules use; the server passes Fastify's pino logger, tests a quiet one. */
export interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A logger for the CLI: one line per message on stderr. */
export function consoleLogger(level: 'info' | 'debug' = 'info'): Logger {
  const out = (tag: string) => (obj: unknown, msg?: string) => {
    const text = msg ?? (typeof obj === 'string' ? obj : JSON.stringify(obj));
    process.stderr.write(`[${tag}] ${text}${msg && obj && typeof obj === 'object' ? ' ' + JSON.stringify(obj) : ''}\n`);
  };
  return { info: out('info'), warn: out('warn'), error: out('error'), debug: level === 'debug' ? out('debug') : () => {} };
}
