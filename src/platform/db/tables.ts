/**
 * The typed schema of every table. Empty here: each module adds its own tables by declaration merging
 * in its `*.schema.ts`:
 *
 *   declare module '../../platform/db/tables.ts' { interface Tables { org_account: AccountRow } }
 *
 * so that `Db` (Kysely<Tables>) knows every table while each module still owns its own.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Tables {}
