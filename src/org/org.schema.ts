import { Type, type Static, type TSchema } from 'typebox';
import type { Role } from '../platform/access.ts';

declare module '../platform/db/tables.ts' {
  interface Tables {
    org_department: DepartmentRow;
    org_account: AccountRow;
    org_account_role: AccountRoleRow;
    org_session: SessionRow;
    org_api_token: ApiTokenRow;
    org_login_throttle: ThrottleRow;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

/** Where a department sits in government: a municipal bureau, its district branch, or a street office. */
export type DepartmentKind = 'municipal' | 'district' | 'street';

export interface DepartmentRow {
  /** Stable and hierarchical: `scjg` → `scjg.310115` → `scjg.310115005`. */
  code: string;
  name: string;
  name_en: string;
  parent_code: string | null;
  /** The jurisdiction the department serves (310000 for municipal bureaus). */
  jurisdiction_code: string;
  kind: DepartmentKind;
}

/** person = 市民 (citizen), enterprise = 企业 (company user), staff = 工作人员 (government staff). */
export type AccountKind = 'person' | 'enterprise' | 'staff';
export const ACCOUNT_KINDS: readonly AccountKind[] = ['person', 'enterprise', 'staff'];

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  kind: AccountKind;
  department_code: string | null;
  /** The jurisdiction a staff account may act in; null for the public. */
  scope_code: string | null;
  /**
   * Where the account itself belongs, for deciding who may administer it: the scope for staff, the
   * city for citizens and companies (so only city-wide administrators manage public accounts).
   */
  jurisdiction_code: string;
  locale: string;
  /** `scrypt$N$r$p$salt$hash`; null for accounts that only use API tokens. */
  password_hash: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  password_changed_at: number | null;
}

export interface AccountRoleRow {
  account_id: string;
  role: Role;
}

export interface SessionRow {
  id: string;
  /** sha256 of the cookie value; the value itself is never stored. */
  token_hash: string;
  account_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenRow {
  id: string;
  account_id: string;
  name: string;
  token_hash: string;
  /** The first characters of the token, so its owner can tell tokens apart. */
  prefix: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** A counter for login throttling, keyed `user:<username>` or `ip:<address>`. */
export interface ThrottleRow {
  key: string;
  window_start: number;
  count: number;
  locked_until: number | null;
}

// ---------------------------------------------------------------------------------------------
// Wire schemas

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const RoleSchema = Type.Union([
  Type.Literal('citizen'),
  Type.Literal('enterprise'),
  Type.Literal('staff'),
  Type.Literal('grid_worker'),
  Type.Literal('operator'),
  Type.Literal('admin'),
  Type.Literal('system'),
]);
export const AccountKindSchema = Type.Union([Type.Literal('person'), Type.Literal('enterprise'), Type.Literal('staff')]);
// The wire schemas must name exactly the platform's roles and the kinds above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _roles: Same<Static<typeof RoleSchema>, Role> = true;
const _kinds: Same<Static<typeof AccountKindSchema>, AccountKind> = true;
void _roles;
void _kinds;
export const LocaleSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
export type Locale = Static<typeof LocaleSchema>;

/** The one shape an account takes in every reply; never carries a password or hash. */
export const AccountViewSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  kind: AccountKindSchema,
  roles: Type.Array(RoleSchema),
  departmentCode: Nullable(Type.String()),
  departmentName: Nullable(Type.String()),
  scopeCode: Nullable(Type.String()),
  scopeName: Nullable(Type.String()),
  /** Where the account itself is filed (staff: their scope; citizens and companies: the city). */
  jurisdictionCode: Type.String(),
  locale: Type.String(),
  disabled: Type.Boolean(),
});
export type AccountView = Static<typeof AccountViewSchema>;

export const AccountReplySchema = Type.Object({ account: AccountViewSchema });

export const AccountPageSchema = Type.Object({
  items: Type.Array(AccountViewSchema),
  nextCursor: Nullable(Type.String()),
});
export type AccountPage = Static<typeof AccountPageSchema>;

export const LoginBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

/** Usernames: lower-case letters, digits, dot, dash, underscore; 3–64 characters. */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,63}$';

export const AccountListQuerySchema = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    department: Type.Optional(Type.String({ maxLength: 64, description: 'A department code; its sub-offices are included' })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a username or display name' })),
    kind: Type.Optional(AccountKindSchema),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AccountListQuery = Static<typeof AccountListQuerySchema>;

export const CreateAccountBodySchema = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 7, uniqueItems: true }),
    departmentCode: Type.String({ minLength: 1, maxLength: 64 }),
    scopeCode: Type.String({ pattern: '^\\d{6}(\\d{3}){0,3}$' }),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBodySchema>;

export const UpdateAccountBodySchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    disabled: Type.Optional(Type.Boolean()),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 7, uniqueItems: true })),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccountBody = Static<typeof UpdateAccountBodySchema>;

export const ChangePasswordBodySchema = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>;

export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** API tokens live 90 days unless their creator asks otherwise… */
export const DEFAULT_TOKEN_DAYS = 90;
/** …and never more than a year: a forgotten token on a decommissioned device must die on its own. */
export const MAX_TOKEN_DAYS = 365;

export const CreateTokenBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, description: `Days until the token expires (default ${DEFAULT_TOKEN_DAYS}, at most ${MAX_TOKEN_DAYS})` })),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBodySchema>;

export const TokenViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.Number(),
  expiresAt: Nullable(Type.Number()),
  lastUsedAt: Nullable(Type.Number()),
});
export type TokenView = Static<typeof TokenViewSchema>;

export const CreatedTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String({ description: 'Shown once; store it now. Send as `Authorization: Bearer yw_…`.' }),
  expiresAt: Nullable(Type.Number()),
});
export type CreatedToken = Static<typeof CreatedTokenSchema>;

export const DepartmentViewSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  parentCode: Nullable(Type.String()),
  jurisdictionCode: Type.String(),
  kind: Type.Union([Type.Literal('municipal'), Type.Literal('district'), Type.Literal('street')]),
});
export type DepartmentView = Static<typeof DepartmentViewSchema>;

export const DepartmentDetailSchema = Type.Object({
  department: DepartmentViewSchema,
  parent: Nullable(DepartmentViewSchema),
  children: Type.Array(DepartmentViewSchema),
});
export type DepartmentDetail = Static<typeof DepartmentDetailSchema>;

export const DepartmentListQuerySchema = Type.Object(
  {
    jurisdiction: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,3}$', description: 'Departments serving this jurisdiction or places inside it' })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the Chinese or English name, or of the code' })),
    parent: Type.Optional(Type.String({ maxLength: 64, description: 'Direct sub-units of this department' })),
    kind: Type.Optional(Type.Union([Type.Literal('municipal'), Type.Literal('district'), Type.Literal('street')])),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type DepartmentListQuery = Static<typeof DepartmentListQuerySchema>;

export const DepartmentPageSchema = Type.Object({
  items: Type.Array(DepartmentViewSchema),
  nextCursor: Nullable(Type.String()),
});
export type DepartmentPage = Static<typeof DepartmentPageSchema>;

export const DemoAccountSchema = Type.Object({
  username: Type.String(),
  password: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  departmentName: Nullable(Type.String()),
  scopeName: Nullable(Type.String()),
  description: Type.String(),
  descriptionEn: Type.String(),
});
export type DemoAccount = Static<typeof DemoAccountSchema>;
