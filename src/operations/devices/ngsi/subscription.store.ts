import type { Executor } from '../../../platform/db/database.ts';
import { toJson } from '../../../platform/db/dialect.ts';
import type { SubscriptionRow } from '../device.schema.ts';

/** Most subscriptions one jurisdiction lists at once (there is no paging: they are set up by hand). */
const LIST_CAP = 1000;

/** All SQL of NGSI-LD subscriptions. */
export class SubscriptionStore {
  get(db: Executor, id: string): Promise<SubscriptionRow | undefined> {
    return db.selectFrom('devices_subscription').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(db: Executor, row: SubscriptionRow): Promise<void> {
    await db
      .insertInto('devices_subscription')
      .values({ ...row, entity_types: toJson(row.entity_types), watched_attributes: toJson(row.watched_attributes), notification_attrs: toJson(row.notification_attrs) })
      .execute();
  }

  async remove(db: Executor, id: string): Promise<boolean> {
    const r = await db.deleteFrom('devices_subscription').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** Subscriptions made in a jurisdiction under `prefix`, oldest first. */
  list(db: Executor, prefix: string): Promise<SubscriptionRow[]> {
    return db
      .selectFrom('devices_subscription')
      .selectAll()
      .where('jurisdiction_code', '>=', prefix)
      .where('jurisdiction_code', '<', prefix + '~')
      .orderBy('created_at')
      .orderBy('id')
      .limit(LIST_CAP)
      .execute();
  }

  /** Every active subscription, whatever its place (the notifier matches changes against all of them). */
  active(db: Executor): Promise<SubscriptionRow[]> {
    return db.selectFrom('devices_subscription').selectAll().where('status', '=', 'active').execute();
  }

  /** A delivered notification; the count is raised in SQL, so processes notifying at once do not lose one. */
  async delivered(db: Executor, id: string, at: number): Promise<void> {
    await db
      .updateTable('devices_subscription')
      .set((eb) => ({ times_sent: eb('times_sent', '+', 1), last_notification_at: at, last_success_at: at }))
      .where('id', '=', id)
      .execute();
  }

  /** A failed attempt, with why. */
  async failed(db: Executor, id: string, at: number, error: string): Promise<void> {
    await db.updateTable('devices_subscription').set({ last_notification_at: at, last_failure_at: at, last_error: error.slice(0, 1000) }).where('id', '=', id).execute();
  }
}
