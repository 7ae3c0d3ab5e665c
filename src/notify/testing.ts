import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Principal, Role } from '../platform/access.ts';
import type { Clock } from '../platform/context.ts';
import type { Module } from '../platform/module.ts';
import { platformModule } from '../platform/index.ts';
import { createNotifyModule, type NotifyOptions } from './index.ts';
import type { SendInput } from './notify.service.ts';

/** Free text made by factories: every screen showing it proves nothing is injected. */
export const XSS = '<script>alert(1)</script>';

let made = 0;

/** A message to send, with script tags in its text unless told otherwise. */
export function makeSendInput(over: Partial<SendInput> & { recipientId: string }): SendInput {
  made++;
  return { topic: 'case', title: `案件已受理 ${XSS}`, body: `您反映的问题（第 ${made} 件）已受理。${XSS}`, link: '/portal/cases/1', ...over };
}

/** A clock a test moves by hand. */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 2, 1, 1, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Test settings: local webhooks allowed, short timeouts, retries after 1 s then 2 s, no background polling. */
export const TEST_NOTIFY_OPTIONS: NotifyOptions = { webhook: { allowPrivateNetworks: true, timeoutMs: 500 }, retryDelaysMs: [1000, 2000], pollMs: 3600_000 };

/** The platform and the message centre alone, with test settings. */
export function notifyTestModules(opts: NotifyOptions = {}): Module[] {
  return [platformModule, createNotifyModule({ ...TEST_NOTIFY_OPTIONS, ...opts })];
}

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * A webhook endpoint on a local port. Each request is recorded; `answer` decides the status
 * (default 200), or 'hang' to never answer (timeouts).
 */
export interface WebhookReceiver {
  url: string;
  received: ReceivedHook[];
  answer: (n: number) => number | 'hang';
  close(): Promise<void>;
}

export async function webhookReceiver(): Promise<WebhookReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const r: WebhookReceiver = {
    url: '',
    received: [],
    answer: () => 200,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((done) => server.close(() => done(null)));
    },
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      r.received.push({ headers: req.headers, body, json: JSON.parse(body) });
      const status = r.answer(r.received.length);
      if (status === 'hang') hanging.add(res);
      else res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(null)));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

/** A principal as org would produce it, for service tests that do not go through HTTP (officials default to 陆家嘴 310115005). */
export function principal(accountId: string, roles: Role[] = ['citizen'], scopeCode: string | null = null, via: Principal['via'] = 'session'): Principal {
  const official = roles.some((r) => r !== 'citizen' && r !== 'enterprise');
  return {
    accountId,
    username: accountId,
    displayName: `用户 ${accountId}`,
    roles,
    departmentCode: official ? 'test.department' : null,
    scopeCode: official ? (scopeCode ?? '310115005') : null,
    via,
  };
}
