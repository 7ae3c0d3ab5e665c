import { Type } from 'typebox';
import type { HttpApp } from '../../platform/module.ts';
import { AddressRateLimit } from '../../platform/http/rate-limit.ts';
import { AddLicenceBody, CredentialView, IssuedReply, StatusBody, VerificationView, VerifyBody, VerifyReply } from './wallet.schema.ts';
import type { WalletService } from './wallet.service.ts';

const tags = ['wallet'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Jwk = Type.Object({ kty: Type.String(), crv: Type.Optional(Type.String()), x: Type.Optional(Type.String()), y: Type.Optional(Type.String()), kid: Type.Optional(Type.String()), alg: Type.Optional(Type.String()), use: Type.Optional(Type.String()) });

/**
 * Verifications one client address may ask for per minute. An officer checks a licence every few
 * seconds at most, and a station's officers share an address; a script trying codes does not get far.
 */
export const VERIFY_PER_MINUTE = 120;

/** /api/wallet and /api/verify: the holder's wallet, status changes, verification. */
export function walletRoutes(app: HttpApp, svc: WalletService, now: () => number = Date.now): void {
  const verifyLimit = new AddressRateLimit(VERIFY_PER_MINUTE, 60_000, now, 'verifications');
  app.get('/wallet', {
    schema: { tags, security, summary: 'My wallet: credentials held, and licences of the e-licence library not yet added', response: { 200: Type.Object({ items: Type.Array(CredentialView), available: Type.Array(Type.Object({ licenceId: Type.String(), type: Type.String(), nameZh: Type.String(), nameEn: Type.String(), number: Type.String(), validUntil: Type.Union([Type.String(), Type.Null()]) })) }) } },
  }, async (req) => svc.list(req.principal));

  app.post('/wallet/credentials', { schema: { tags, security, summary: 'Add a licence to the wallet, bound to this phone\'s public key (an earlier copy is retired)', body: AddLicenceBody, response: { 201: IssuedReply } } }, async (req, reply) =>
    reply.status(201).send(await svc.addLicence(req.principal, req.body)));

  app.get('/wallet/credentials/:id', { schema: { tags, security, summary: 'One credential of mine with its SD-JWT', params: IdParam, response: { 200: IssuedReply } } }, async (req) => svc.get(req.principal, req.params.id));

  app.post('/wallet/credentials/:id/status', { schema: { tags, security, summary: 'Revoke, suspend or reinstate a credential (the issuing department)', params: IdParam, body: StatusBody, response: { 200: CredentialView } } }, async (req) =>
    svc.setStatus(req.principal, req.params.id, req.body.status, req.body.reason));

  app.get('/wallet/verifications', { schema: { tags, security, summary: 'Who verified my credentials through Yiwang, when, and what they saw (claim names only)', response: { 200: Type.Object({ items: Type.Array(VerificationView) }) } } }, async (req) => ({
    items: await svc.verifications(req.principal),
  }));

  app.get('/wallet/keys', { schema: { tags, security, summary: 'Issuer keys with their state (administrators)', response: { 200: Type.Object({ items: Type.Array(Type.Object({ kid: Type.String(), createdAt: Type.Integer(), retiredAt: Type.Union([Type.Integer(), Type.Null()]), withdrawnAt: Type.Union([Type.Integer(), Type.Null()]) })) }) } } }, async (req) => ({
    items: await svc.listKeys(req.principal),
  }));

  app.post('/wallet/keys/rotate', {
    schema: { tags, security, summary: 'Rotate the issuer key: a new key signs; the old stays published while its credentials live (withdraw: unpublish it now)', body: Type.Object({ withdraw: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: Type.Object({ kid: Type.String(), retired: Type.Array(Type.String()) }) } },
  }, async (req) => svc.rotateKeys(req.principal, req.body.withdraw ?? false));

  // Public: anyone may check a credential shown to them; the result says why it fails.
  app.post('/verify', { schema: { tags, summary: `Verify a presentation: signature, disclosures, expiry, holder binding, replay and status (at most ${VERIFY_PER_MINUTE} a minute from one address)`, body: VerifyBody, response: { 200: VerifyReply } } }, async (req) => {
    verifyLimit.hit(req.ip);
    return svc.verify(req.body.presentation, { audience: req.body.audience, verifier: req.principal, ip: req.ip });
  });
}

/** Outside /api: the issuer metadata and status lists, at the paths the standards name. */
export function walletRootRoutes(app: HttpApp, svc: WalletService): void {
  const meta = Type.Object({ issuer: Type.String(), jwks: Type.Object({ keys: Type.Array(Jwk) }) });
  app.get('/.well-known/jwt-vc-issuer', { schema: { tags, summary: 'SD-JWT VC issuer metadata: the issuer identifier and its public keys', response: { 200: meta } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return svc.issuerMetadata();
  });
  app.get('/.well-known/jwks.json', { schema: { tags, summary: 'The issuer\'s public keys (JWK Set)', response: { 200: Type.Object({ keys: Type.Array(Jwk) }) } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return (await svc.issuerMetadata()).jwks;
  });
  app.get('/status-lists/:id', { schema: { tags, summary: 'A Token Status List (application/statuslist+jwt): 2 bits a credential, 0 valid, 1 revoked, 2 suspended', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (req, reply) => {
    const token = await svc.statusList(req.params.id);
    return reply.type('application/statuslist+jwt').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(token);
  });
}
