import type pgTypes from 'pg';

/**
 * node-postgres' Client, with every promise-style `query(text, values)` run through the driver's
 * callback form instead.
 *
 * Why: with the driver's own promise form, a result of a few hundred rows or more is still alive
 * at V8's next young-generation collection far more often, which then copies and promotes it: a
 * 1,000-row page cost 1.2 ms of collection per query on average and single pauses of 9–13 ms
 * (docs/decisions/0009-pg-callback-queries.md). The same query through the callback form, wrapped
 * in a plain promise here, cost 0.1–0.2 ms, with pauses under 3 ms. Callers see no difference: the
 * same Result object resolves the same promise.
 */
export function callbackQueryClient(pg: typeof pgTypes): typeof pgTypes.Client {
  return class CallbackQueryClient extends pg.Client {
    // The driver's overloads differ only in how the result comes back; this keeps all of them.
    override query(config: any, values?: any, callback?: any): any {
      if (typeof callback === 'function' || typeof values === 'function' || typeof config?.submit === 'function') return super.query(config, values, callback);
      return new Promise((resolve, reject) => {
        super.query(config, values, (err: Error | null, result: unknown) => (err ? reject(err) : resolve(result)));
      });
    }
  };
}
