// The rule engine: readings are evaluated as they are accepted for storage (decision 0008), a turn
// of the event loop's at a time, against the rules for each device's type and place; a clock tick
// re-evaluates what depends on time alone (conditions that must hold for a while, alerts waiting to
// clear, devices that went silent).
//
// State (recent readings, since-when timers) lives in the memory of the process that ingests a
// device; open alerts are in the database and reloaded on start, so a restart does not raise twice.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AppContext } from '../../platform/context.ts';
import type { DeviceInfo, DeviceService } from '../devices/device.service.ts';
import type { Reading } from '../devices/telemetry/reading.ts';
import type { Detection } from '../devices/telemetry/detections.ts';
import { Evaluation, type Condition } from './condition.ts';
import type { AlertService } from './alert.service.ts';
import type { Evidence } from './rule.schema.ts';
import type { LoadedRule, RuleService } from './rule.service.ts';
import { Series } from './series.ts';
import { Facts, WatchMap, type DeviceSeries, type Watch } from './watches.ts';

/** Readings of a metric kept at least, whatever the rules' windows (the evidence shows the last few). */
const KEEP_LAST = 5;
/**
 * Readings of a metric kept at most. Rules look back up to an hour; a device reporting every few
 * seconds would otherwise hold thousands. A window longer than this many readings is judged on
 * its newest part (see docs/rules.md).
 */
const KEEP_MOST = 720;

export class RuleEngine {
  private readonly series = new Map<string, DeviceSeries>();
  /** When each device was last heard from; null: never (asked once of the database, then remembered). */
  private readonly lastSeen = new Map<string, number | null>();
  private readonly seen = new Map<string, Detection[]>();
  private readonly watches = new WatchMap();
  /** Evaluations, one after another; until start() has loaded the rules, they wait behind it. */
  private chain: Promise<void>;
  private ready!: () => void;
  private started = false;
  /** Readings (and detections) that came before start(), waiting in the chain; beyond BEFORE_START_MOST they are not judged. */
  private early = 0;
  private ticking: Promise<void> | null = null;
  /** The tick asked for while one was running: at most one waits. */
  private nextTick: Promise<void> | null = null;
  /** Alerts fired and not yet written, and the lane writing them (see raise()). */
  private toRaise: Raise[] = [];
  private raiseLane: Promise<void> | null = null;
  /** Milliseconds of a batch of readings judged before the event loop is let through (0: after every device). */
  readingsSliceMs = READINGS_SLICE_MS;

  constructor(
    private readonly ctx: AppContext,
    private readonly rules: RuleService,
    private readonly alerts: AlertService,
    private readonly devices: DeviceService,
  ) {
    // Followed from the start, not from start(): the broker (devices module) starts before the
    // rules, and an external broker's backlog arrives at once; what comes meanwhile waits in the chain.
    this.chain = new Promise<void>((resolve) => (this.ready = resolve));
    this.ctx.services.telemetryWriter.onAccepted((readings) => this.follow(readings.length, () => this.onReadings(readings)));
    this.ctx.services.detections.onStored((d) => this.follow(1, () => this.onDetection(d)));
  }

  /** Queues `n` readings' (or detections') evaluation; before start(), only up to BEFORE_START_MOST. */
  private follow(n: number, judge: () => Promise<void>): void {
    if (!this.started && (this.early += n) > BEFORE_START_MOST) return;
    void this.enqueue(judge);
  }

  /** Loads rules and open alerts, then judges what has come meanwhile and what comes next. */
  async start(): Promise<void> {
    await this.rules.ready();
    for (const a of await this.alerts.openAlerts()) {
      const rule = this.rules.all().find((r) => r.row.id === a.rule_id);
      if (rule) this.watches.set({ rule, deviceId: a.subject_id, evaluation: new Evaluation(), alert: a, raising: false, falseSince: null, holding: true });
    }
    if (this.early > BEFORE_START_MOST) this.ctx.log.warn({ readings: this.early - BEFORE_START_MOST }, 'rule engine: readings that came before the rules were loaded were not judged');
    this.started = true;
    this.ready();
  }

  /** How many readings the engine holds for the rules' windows (memory figures). */
  heldReadings(): number {
    let n = 0;
    for (const s of this.series.values()) for (const list of s.values()) n += list.length;
    return n;
  }

  /** Resolves when everything queued so far (and a tick under way) has been evaluated and its alerts written. */
  async idle(): Promise<void> {
    // Before start() nothing is judged: what came waits for it.
    if (!this.started) return;
    while (this.ticking) await this.ticking;
    await this.chain;
    while (this.raiseLane) await this.raiseLane;
  }

  /**
   * Re-evaluates time-dependent conditions now (called every few seconds, and by tests after moving
   * the clock). A city has tens of thousands of watches: they are taken a slice at a time, each its
   * own turn in the queue with the event loop let through after it, so that readings arriving
   * meanwhile are stored, acknowledged and evaluated between slices instead of after the whole tick.
   */
  tick(): Promise<void> {
    // One tick at a time: a slow one must not pile the next ones up behind the readings. But a tick
    // already running took its watches (and, for slices done, its clock) before this call: one more
    // runs after it, shared by everyone who asks meanwhile, so "re-evaluate now" always means now.
    if (this.ticking) {
      this.nextTick ??= this.ticking.then(() => {
        this.nextTick = null;
        return this.tick();
      });
      return this.nextTick;
    }
    const all = [...this.watches.values()];
    this.ticking = (async () => {
      for (let i = 0; i < all.length; i += TICK_SLICE) {
        const slice = all.slice(i, i + TICK_SLICE);
        await this.enqueue(async () => {
          const now = this.ctx.clock.now();
          const raising: Raise[] = [];
          for (const w of slice) {
            // Readings between slices may have closed this watch (or opened a new one for it).
            if (this.watches.get(w.rule, w.deviceId) !== w) continue;
            const device = await this.devices.info(w.deviceId);
            const rule = this.rules.byId(w.rule.row.id);
            if (!device || !rule) {
              // The device or the rule is gone: so is its watch, and an open alert closes.
              this.watches.delete(w);
              if (w.alert) await this.alerts.clear(w.alert);
              continue;
            }
            this.refresh(w, rule);
            await this.evaluate(w, device, now, raising);
          }
          this.raise(raising);
        });
        await yieldToLoop();
      }
      await this.enqueue(async () => {
        // Silent devices: only the database knows about devices this process has not heard from.
        const now = this.ctx.clock.now();
        const raising: Raise[] = [];
        for (const rule of this.rules.all()) {
          const forS = silence(rule.condition);
          if (forS === null) continue;
          for (const d of await this.devices.silent(rule.row.device_type, rule.prefix, now - forS * 1000)) {
            if (this.watches.get(rule, d.id)) continue;
            const device = await this.devices.info(d.id);
            if (!device) continue;
            // Never heard from: silent since it was registered.
            if (this.lastSeen.get(d.id) == null) this.lastSeen.set(d.id, d.lastSeen);
            await this.evaluate(this.watch(rule, d.id), device, now, raising);
          }
        }
        this.raise(raising);
      });
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /** A rule edited since the watch began: judge by the new one, from scratch. */
  private refresh(w: Watch, rule: LoadedRule): void {
    if (w.rule === rule) return;
    if (w.rule.row.version !== rule.row.version) w.evaluation = new Evaluation();
    w.rule = rule;
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((err) => this.ctx.log.error({ err }, 'rule engine: evaluation failed'));
    return this.chain;
  }

  private async onReadings(readings: Reading[]): Promise<void> {
    const now = this.ctx.clock.now();
    const byDevice = new Map<string, Reading[]>();
    for (const r of readings) {
      const list = byDevice.get(r.deviceId);
      if (list) list.push(r);
      else byDevice.set(r.deviceId, [r]);
    }
    let raising: Raise[] = [];
    let sliceStart = performance.now();
    for (const [id, list] of byDevice) {
      // A big batch is judged in slices with the event loop let through between them: the broker
      // goes on reading and acknowledging, and the telemetry writer's replies are taken (it holds
      // the write turn until then), instead of everything waiting for the whole batch.
      if (performance.now() - sliceStart > this.readingsSliceMs) {
        this.raise(raising);
        raising = [];
        await yieldToLoop();
        sliceStart = performance.now();
      }
      const device = await this.devices.info(id);
      if (!device) continue;
      const rules = this.rules.rulesFor(device.type.row.code, device.jurisdictionCode);
      this.lastSeen.set(id, now);
      if (rules.length === 0) continue;
      this.remember(id, list, Math.max(0, ...rules.map((r) => r.lookbackMs)), now);
      for (const rule of rules) await this.judge(rule, device, now, raising);
    }
    this.raise(raising);
  }

  /**
   * Judges a rule for a device as its readings arrive. Most rules are plain thresholds with nothing
   * to remember between readings: while nothing is open for them, they are judged without a watch
   * (no objects made per reading), and one is opened only when the condition holds.
   */
  private async judge(rule: LoadedRule, device: DeviceInfo, now: number, raising: Raise[]): Promise<void> {
    const w = this.watches.get(rule, device.id);
    if (w || rule.timed) return this.evaluate(this.watch(rule, device.id), device, now, raising);
    const facts = await this.facts(rule, device, now);
    if (facts && STATELESS.holds(rule.condition, facts)) await this.evaluate(this.watch(rule, device.id), device, now, raising, facts);
  }

  /**
   * Hands the alerts a round of evaluation fired (a batch of readings, a tick's slice) to the raise
   * lane and goes on judging. The lane writes everything handed to it meanwhile in one transaction
   * at a time, so the rules are not held up behind the write (which on SQLite waits its turn behind
   * a telemetry commit), and a burst of alerts shares transactions. A watch is marked raising until
   * its alert is written, so a later round does not raise it again.
   */
  private raise(raising: Raise[]): void {
    if (raising.length === 0) return;
    for (const r of raising) r.w.raising = true;
    this.toRaise.push(...raising);
    this.raiseLane ??= this.writeRaises();
  }

  /** Writes what was fired, a transaction at a time, and gives each watch its alert: the new one, or the one another process raised first. */
  private async writeRaises(): Promise<void> {
    try {
      while (this.toRaise.length > 0) {
        const batch = this.toRaise.splice(0, RAISE_BATCH);
        let rows: Array<Watch['alert']>;
        try {
          rows = await this.alerts.raiseAll(batch);
        } catch (err) {
          // Not written: the next round that finds the condition holding fires again.
          for (const r of batch) r.w.raising = false;
          this.ctx.log.error({ err }, 'rule engine: raising alerts failed');
          continue;
        }
        // Every watch learns what was written before anything else is awaited.
        batch.forEach((r, k) => {
          r.w.alert = rows[k] ?? null;
          r.w.raising = false;
        });
        for (const { w, device } of batch) {
          try {
            // Another process had raised it first: that open alert is this watch's.
            w.alert ??= (await this.alerts.openAlertFor(w.rule.row.id, device.id)) ?? null;
            // The device or rule went while its alert was being written: the alert closes with it.
            if (w.alert && this.watches.get(w.rule, w.deviceId) !== w) await this.alerts.clear(w.alert);
          } catch (err) {
            this.ctx.log.error({ err }, 'rule engine: settling a raised alert failed');
          }
        }
      }
    } finally {
      // Cleared in the same step as the last look at the queue: a round handing alerts over after
      // it starts a new lane instead of joining one that is ending.
      this.raiseLane = null;
    }
  }

  private async onDetection(d: Detection): Promise<void> {
    const now = this.ctx.clock.now();
    const list = this.seen.get(d.camera.id) ?? [];
    list.push(d);
    // A camera's detections of the last day, at most 50: enough for any detection window.
    while (list.length > 50 || (list.length && list[0]!.at < now - 86_400_000)) list.shift();
    this.seen.set(d.camera.id, list);
    this.lastSeen.set(d.camera.id, now);
    const raising: Raise[] = [];
    for (const rule of this.rules.rulesFor(d.camera.type.row.code, d.camera.jurisdictionCode)) await this.judge(rule, d.camera, now, raising);
    this.raise(raising);
  }

  private watch(rule: LoadedRule, deviceId: string): Watch {
    let w = this.watches.get(rule, deviceId);
    if (!w) {
      w = { rule, deviceId, evaluation: new Evaluation(), alert: null, raising: false, falseSince: null, holding: false };
      this.watches.set(w);
    } else this.refresh(w, rule);
    return w;
  }

  /** Adds readings to a device's recent series, oldest first, dropping what no rule looks back to. */
  private remember(deviceId: string, readings: Reading[], lookback: number, now: number): void {
    let s = this.series.get(deviceId);
    if (!s) this.series.set(deviceId, (s = new Map()));
    for (const r of readings) {
      let list = s.get(r.metric);
      if (!list) s.set(r.metric, (list = new Series()));
      list.add(r.at, r.value);
    }
    for (const list of s.values()) {
      let drop = 0;
      while (drop < list.length - KEEP_LAST && (list.time(drop) < now - lookback || list.length - drop > KEEP_MOST)) drop++;
      if (drop) list.drop(drop);
    }
  }

  /**
   * What a rule is judged on for a device; null when it cannot be judged yet. Knowing nothing is not
   * the same as the condition being false: after a restart an open alert waits for the device's
   * next reading instead of clearing (silence rules read last-seen from the database).
   */
  private async facts(rule: LoadedRule, device: DeviceInfo, now: number): Promise<Facts | null> {
    const s = this.series.get(device.id);
    if (!this.lastSeen.has(device.id)) this.lastSeen.set(device.id, await this.devices.lastSeen(device.id));
    if (rule.metrics.length > 0 && !rule.metrics.some((m) => s?.get(m)?.length) && !hasDetection(rule.condition)) return null;
    return new Facts(now, this.lastSeen.get(device.id) ?? null, s, this.seen.get(device.id));
  }

  /**
   * Judges one watch; an alert it fires joins `raising`, raised by the caller once the round is
   * judged. `known`: the facts the caller has just read for this rule and device.
   */
  private async evaluate(w: Watch, device: DeviceInfo, now: number, raising: Raise[], known?: Facts): Promise<void> {
    const facts = known ?? (await this.facts(w.rule, device, now));
    if (!facts) return;
    const s = facts.recent;
    const holds = w.evaluation.holds(w.rule.condition, facts);
    w.holding = holds;
    if (holds) {
      w.falseSince = null;
      if (!w.alert && !w.raising) {
        const seen = (this.seen.get(device.id) ?? []).slice(-KEEP_LAST).map((d) => ({ class: d.class, confidence: d.confidence, at: d.at, snapshotUrl: d.snapshotUrl }));
        const evidence: Evidence = { readings: w.rule.metrics.flatMap((m) => (s?.get(m)?.tail(KEEP_LAST) ?? []).map((r) => ({ metric: m, ...r }))), lastSeen: facts.lastSeen, ...(hasDetection(w.rule.condition) ? { detections: seen } : {}) };
        raising.push({ w, rule: w.rule, device, evidence, firedAt: this.ctx.clock.now() });
      }
      return;
    }
    if (w.alert || w.raising) {
      // Hysteresis: an alert clears only after the condition has stayed false for the rule's clear
      // time (one still being written clears on a round after it is).
      w.falseSince ??= now;
      if (w.alert && now - w.falseSince >= Number(w.rule.row.clear_after_s) * 1000) {
        await this.alerts.clear(w.alert);
        w.alert = null;
        w.falseSince = null;
      }
    }
    // Nothing open and nothing holding: the watch holds no state worth keeping.
    if (!w.alert && !w.raising && !w.rule.timed) this.watches.delete(w);
  }
}

/** Judges rules without timers (rule.timed false): their evaluation has nothing to remember. */
const STATELESS = new Evaluation();

interface Raise {
  w: Watch;
  rule: LoadedRule;
  device: DeviceInfo;
  evidence: Evidence;
  /** When the rule found its condition holding: the alert's raisedAt, however long its write waits. */
  firedAt: number;
}

/** Alerts written in one transaction at most. */
const RAISE_BATCH = 500;

/** Watches a tick evaluates in one turn of the queue (a few milliseconds of work). */
const TICK_SLICE = 500;

/** Readings accepted before the engine starts that it keeps to judge then (a backlog beyond is not judged). */
const BEFORE_START_MOST = 200_000;

/** Milliseconds of a batch of readings judged before the event loop is let through (see onReadings). */
const READINGS_SLICE_MS = 5;

/** The silence a rule waits for (the shortest noData in it), or null when it has none. */
function silence(c: Condition): number | null {
  if (c.kind === 'noData') return c.forS;
  if (c.kind === 'all' || c.kind === 'any') {
    const inner = c.of.map(silence).filter((x): x is number => x !== null);
    return inner.length ? Math.min(...inner) : null;
  }
  return null;
}

function hasDetection(c: Condition): boolean {
  return c.kind === 'detection' || ((c.kind === 'all' || c.kind === 'any') && c.of.some(hasDetection));
}
