import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import { CatalogueEntry, CertificateView, IssueBody, IssuedCertificate } from './certificate.schema.ts';
import type { CertificateService } from './certificate.service.ts';

const tags = ['certificates'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ maxLength: 24 }) });
/** Certificates are personal: no shared cache may keep one. */
const PRIVATE = 'private, no-store';

/** /api/certificates: residents and companies request instant certificates and print them. */
export function certificateRoutes(app: HttpApp, svc: CertificateService): void {
  app.get('/certificates/types', {
    schema: { tags, security, summary: 'The certificates there are, each with whether you can have it now and, if not, why', response: { 200: Type.Object({ items: Type.Array(CatalogueEntry) }) } },
  }, async (req) => ({ items: await svc.catalogue(req.principal) }));

  app.get('/certificates', {
    schema: { tags, security, summary: 'My certificates, newest first', response: { 200: Type.Object({ items: Type.Array(CertificateView) }) } },
  }, async (req) => ({ items: await svc.mine(req.principal) }));

  app.post('/certificates', {
    schema: { tags, security, summary: 'Issue a certificate now from registry data (no uploads): the record, its credential and, with holderJwk, bound to your phone', body: IssueBody, response: { 201: IssuedCertificate } },
  }, async (req, reply) => reply.status(201).send(await svc.issue(req.principal, req.body)));

  app.get('/certificates/:id', {
    schema: { tags, security, summary: 'One of my certificates', params: IdParam, response: { 200: CertificateView } },
  }, async (req) => svc.get(req.principal, req.params.id));

  app.get('/certificates/:id/pdf', {
    schema: { tags, security, summary: 'The printable A4 certificate (PDF) with its verification QR code', params: IdParam, produces: ['application/pdf'] },
  }, async (req, reply) => {
    const { body, fileName } = await svc.pdf(req.principal, req.params.id);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`).header('cache-control', PRIVATE).send(body);
  });

  app.get('/certificates/:id/qr.png', {
    schema: { tags, security, summary: 'The verification QR code of the printed certificate (PNG)', params: IdParam, produces: ['image/png'] },
  }, async (req, reply) => reply.header('content-type', 'image/png').header('cache-control', PRIVATE).send(await svc.qr(req.principal, req.params.id)));
}
