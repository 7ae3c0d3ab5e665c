import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import type { RegistryService } from './registry.service.ts';

const tags = ['registries'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

/** /api/registries: residents and companies read what the base registries hold about them. */
export function registryRoutes(app: HttpApp, svc: RegistryService): void {
  app.get('/registries/me', {
    schema: { tags, security, summary: 'My data: what the base registries hold about me (or my company), my family links and my licences', response: { 200: Type.Unknown() } },
  }, async (req) => svc.mine(req.principal));
}
