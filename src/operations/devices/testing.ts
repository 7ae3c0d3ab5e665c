import mqtt from 'mqtt';
import type { Dialect } from '../../platform/db/database.ts';
import type { Module } from '../../platform/module.ts';
import { login, makeAccount, XSS } from '../../org/testing.ts';
import { COMPONENT_TEST_MODULES, PLACES, startComponentsYiwang, type ComponentsYiwang } from '../components/testing.ts';
import { createDevicesModule } from './index.ts';
import type { NotifierOptions } from './ngsi/notifier.ts';
import { telemetryTopic } from './mqtt/topics.ts';

/** NGSI-LD delivery for tests: retries after 20, 40, 80 … ms, a request abandoned after 2 s. */
export const TEST_NOTIFIER_OPTIONS: NotifierOptions = { baseDelayMs: 20, timeoutMs: 2000 };

const devicesModule = createDevicesModule({ notifier: TEST_NOTIFIER_OPTIONS });
export const DEVICE_TEST_MODULES = [...COMPONENT_TEST_MODULES, devicesModule];

/** A test Yiwang with components and devices (device types seeded; the embedded broker on a free port). */
export async function startDevicesYiwang(dialect: Dialect, users: string[] = [], more: Module[] = []): Promise<ComponentsYiwang> {
  const y = await startComponentsYiwang(dialect, users, [...DEVICE_TEST_MODULES, ...more]);
  await devicesModule.seed!(y.ctx, { demo: false, progress: () => {} });
  for (const m of more) await m.seed?.(y.ctx, { demo: false, progress: () => {} });
  return y;
}

/** Registers a water-level gauge (or `over`) as `who`; returns the reply with the device's secret. */
export async function registerDevice(y: ComponentsYiwang, who: string, over: Record<string, unknown> = {}): Promise<{ id: string; secret: string; jurisdictionCode: string }> {
  const res = await y.app.inject({ method: 'POST', url: '/api/devices', headers: y.as[who], payload: { type: 'water_level', name: `${XSS} 水位计`, point: PLACES.lujiazui, ...over } });
  if (res.statusCode !== 201) throw new Error(`registerDevice: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** An MQTT client connected to the embedded broker as the device. */
export async function connectDevice(y: ComponentsYiwang, id: string, secret: string): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${y.ctx.services.mqtt.port}`, { username: id, password: secret, clientId: `test-${id}`, reconnectPeriod: 0, connectTimeout: 5000 });
}

/** A bearer token of a system account (a gateway) scoped to `scopeCode`. */
export async function gatewayToken(y: ComponentsYiwang, scopeCode: string): Promise<{ authorization: string }> {
  const account = await makeAccount(y.ctx, { roles: ['system'], scopeCode, departmentCode: null });
  const session = await login(y.app, account.username, account.password);
  const res = await y.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: session, payload: { name: 'gateway' } });
  return { authorization: `Bearer ${res.json().token}` };
}

export { telemetryTopic };
