import type { Dialect } from '../../platform/db/database.ts';
import type { Module } from '../../platform/module.ts';
import { XSS, type ComponentsYiwang, PLACES } from '../components/testing.ts';
import { startDevicesYiwang } from '../devices/testing.ts';
import { rulesModule } from '../rules/index.ts';
import { casesModule } from './index.ts';
import { notifyModule } from '../../notify/index.ts';

export { XSS, PLACES };

/** The smallest PNG there is (1×1): a real image, so uploads pass the byte check. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A test Yiwang with components, devices, rules and cases; `users` signed in (demo accounts). */
export async function startCasesYiwang(dialect: Dialect, users: string[] = [], more: Module[] = []): Promise<ComponentsYiwang> {
  return startDevicesYiwang(dialect, users, [notifyModule, rulesModule, casesModule, ...more]);
}

/** Uploads a photo as `who`; returns its id. Each call sends different bytes (a trailing chunk), so ids differ. */
export async function uploadPhoto(y: ComponentsYiwang, who: string): Promise<string> {
  const body = Buffer.concat([TINY_PNG, Buffer.from(`${Math.random()}`)]);
  const res = await y.app.inject({ method: 'POST', url: '/api/cases/photos', headers: { ...y.as[who], 'content-type': 'image/png' }, payload: body });
  if (res.statusCode !== 201) throw new Error(`uploadPhoto: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** Reports a problem as `who` (占道经营 in 陆家嘴 unless told otherwise); returns the case view. */
export async function reportCase(y: ComponentsYiwang, who: string, over: Record<string, unknown> = {}): Promise<any> {
  const res = await y.app.inject({ method: 'POST', url: '/api/cases', headers: y.as[who], payload: { categoryCode: 'E0501', description: `${XSS} 早餐摊占道`, point: PLACES.lujiazui, address: `${XSS} 东昌路`, ...over } });
  if (res.statusCode !== 201) throw new Error(`reportCase: ${res.statusCode} ${res.body}`);
  return res.json();
}

/**
 * Walks a case from wherever it is to closure: the street's centre accepts, files and dispatches
 * it to `handler`'s department (or assigns `handler`, a grid worker), who handles it with a photo;
 * `verifier` verifies. Returns the closed case as its reporter sees it… or as `verifier` does.
 */
export async function walkToClosure(y: ComponentsYiwang, id: string, opts: { operator?: string; handler?: string; verifier?: string } = {}): Promise<any> {
  const operator = opts.operator ?? 'lujiazui.operator';
  const handler = opts.handler ?? 'lujiazui.grid';
  const verifier = opts.verifier ?? 'lujiazui.grid2';
  const post = async (who: string, action: string, body: unknown) => {
    const res = await y.app.inject({ method: 'POST', url: `/api/cases/${id}/${action}`, headers: y.as[who], payload: body as object });
    if (res.statusCode !== 200) throw new Error(`${who} ${action}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  let c = (await y.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: y.as[operator] })).json();
  if (c.stage === 'intake') c = await post(operator, 'accept', {});
  if (c.stage === 'filing') c = await post(operator, 'file', {});
  const me = (await y.app.inject({ method: 'GET', url: '/api/auth/me', headers: y.as[handler] })).json().account;
  const assign = me.roles.includes('grid_worker');
  if (c.stage === 'dispatch') c = await post(operator, 'dispatch', assign ? { assigneeId: me.id } : { departmentCode: me.departmentCode });
  else if (c.stage === 'disposal' && assign && c.assigneeId !== me.id) {
    // Already dispatched automatically to a department: it sends its grid worker through a return and a new dispatch.
    throw new Error(`case ${id} is with ${c.departmentCode}; hand it with that department's staff`);
  }
  c = await post(handler, 'handle', { note: '已处置', photos: [await uploadPhoto(y, handler)] });
  return post(verifier, 'verify', { passed: true, photos: [await uploadPhoto(y, verifier)] });
}
