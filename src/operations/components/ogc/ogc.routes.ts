import type { AppContext } from '../../../platform/context.ts';
import type { HttpApp } from '../../../platform/module.ts';

/** OGC API – Features under /ogc (to be written). */
export function ogcRoutes(_app: HttpApp, _ctx: AppContext): void {}
