import { randomBytes } from 'node:crypto';
import { authorize, type Principal, UNSCOPED } from '../platform/access.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { AccountService } from './account.service.ts';
import type { AccountStore } from './account.store.ts';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, type ApiTokenRow, type CreatedToken, type CreateTokenBody, type TokenView } from './org.schema.ts';
import { secretHash as hash } from './password.ts';
import { TOUCH_EVERY_MS, type SessionStore } from './session.store.ts';
import './org.events.ts';

export const TOKEN_PREFIX = 'yw_';
const DAY_MS = 24 * 3600_000;
/** Enough for every device a department runs; more suggests tokens are being leaked, not reused. */
const MAX_LIVE_TOKENS = 100;

function view(t: ApiTokenRow): TokenView {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at, expiresAt: t.expires_at, lastUsedAt: t.last_used_at };
}

/** API tokens for other systems and devices: shown once, stored hashed, revocable. */
export class TokenService {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: SessionStore,
    private readonly accountStore: AccountStore,
    private readonly accounts: AccountService,
  ) {}

  /** Creates a token for the caller's own account. Only a signed-in session may mint tokens. */
  async create(p: Principal | null, body: CreateTokenBody): Promise<CreatedToken> {
    authorize(p, 'token.manage_own', UNSCOPED);
    // A leaked token must not be able to mint itself successors.
    if (p.via !== 'session') throw new AppError('SESSION_REQUIRED', 'Sign in to create API tokens; a token cannot create tokens');
    const live = await this.store.tokensOf(this.ctx.db, p.accountId);
    if (live.length >= MAX_LIVE_TOKENS) throw invalid('name', `cannot be added: you already have ${live.length} tokens; revoke some first`);
    const now = this.ctx.clock.now();
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const id = this.ctx.random.uuid();
    const days = body.expiresInDays ?? DEFAULT_TOKEN_DAYS;
    // The route's schema says the same; checked here too for callers that are not the route.
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw invalid('expiresInDays', `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
    const expiresAt = now + days * DAY_MS;
    const name = body.name.trim();
    if (!name) throw invalid('name', 'must not be blank');
    await this.ctx.transaction(async (tx) => {
      await this.store.insertToken(tx, {
        id,
        account_id: p.accountId,
        name,
        token_hash: hash(token),
        prefix: token.slice(0, 10),
        created_at: now,
        expires_at: expiresAt,
        last_used_at: null,
        revoked_at: null,
      });
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'org.token.created', subjectType: 'account', subjectId: p.accountId, detail: { tokenId: id, name, expiresAt } });
      await this.ctx.outbox.add(tx, 'org.token.created', { v: 1, accountId: p.accountId, tokenId: id, name, expiresAt });
    });
    return { id, name, token, expiresAt };
  }

  /** The caller's tokens that have not been revoked (expired ones included, so they can be cleaned up). */
  async list(p: Principal | null): Promise<TokenView[]> {
    authorize(p, 'token.manage_own', UNSCOPED);
    return (await this.store.tokensOf(this.ctx.db, p.accountId)).map(view);
  }

  /** Revokes one of the caller's tokens; someone else's token is "not found", never "forbidden". */
  async revoke(p: Principal | null, id: string): Promise<void> {
    authorize(p, 'token.manage_own', UNSCOPED);
    const t = await this.store.token(this.ctx.db, id);
    if (!t || t.account_id !== p.accountId) throw new AppError('TOKEN_NOT_FOUND', `You have no API token with id ${id}`);
    if (t.revoked_at !== null) return;
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.revokeToken(tx, id, this.ctx.clock.now()))) return;
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'org.token.revoked', subjectType: 'account', subjectId: p.accountId, detail: { tokenId: id, name: t.name } });
      await this.ctx.outbox.add(tx, 'org.token.revoked', { v: 1, accountId: p.accountId, tokenId: id });
    });
  }

  /** The principal a bearer token stands for; TOKEN_INVALID when unknown, expired, revoked or its account disabled. */
  async authenticate(token: string): Promise<Principal> {
    const now = this.ctx.clock.now();
    const t = token.length <= 100 ? await this.store.tokenByHash(this.ctx.db, hash(token)) : undefined;
    if (!t || t.revoked_at !== null || (t.expires_at !== null && t.expires_at <= now)) throw new AppError('TOKEN_INVALID');
    const account = await this.accountStore.get(this.ctx.db, t.account_id);
    if (!account || account.disabled_at !== null) throw new AppError('TOKEN_INVALID');
    if (t.last_used_at === null || t.last_used_at < now - TOUCH_EVERY_MS) await this.store.touchToken(this.ctx.db, t.id, now, TOUCH_EVERY_MS);
    // The token's name says which system is calling (the exchange log records it).
    return { ...this.accounts.principalOf(account, 'token'), system: t.name };
  }
}
