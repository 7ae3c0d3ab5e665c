import { loadConfig, type Config } from './config.ts';
import type { Dialect } from './db/database.ts';
import { createTestDatabase } from './db/testing.ts';
import { buildYiwang, type BuildOptions, type Yiwang } from '../app.ts';

/** A whole Yiwang on a fresh database of one dialect; `close()` also drops the database. */
export interface TestYiwang extends Yiwang {
  dialect: Dialect;
}

/**
 * Builds the app for a test (migrated, not seeded unless asked) on a throw-away database. A demo
 * seed places a few thousand components, not the full city's million (YIWANG_DEMO_SCALE).
 */
export async function startTestYiwang(dialect: Dialect, opts: BuildOptions & { env?: Record<string, string> } = {}): Promise<TestYiwang> {
  const tdb = await createTestDatabase(dialect);
  const config: Config = { ...loadConfig({ YIWANG_DATA_DIR: '/tmp/yiwang-test-data', YIWANG_DEMO_SCALE: '0.002', YIWANG_MQTT_PORT: '0', YIWANG_NOTIFY_PRIVATE_HOSTS: '127.0.0.1', ...opts.env }), database: tdb.config };
  let y: Yiwang;
  try {
    y = await buildYiwang(config, opts);
  } catch (err) {
    await tdb.drop(); // a test that expects the build to fail must not leave a database behind
    throw err;
  }
  await y.start();
  return {
    ...y,
    dialect,
    async close() {
      await y.close();
      await tdb.drop();
    },
  };
}
