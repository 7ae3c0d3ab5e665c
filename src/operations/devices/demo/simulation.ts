// What the demo city's devices report, as a function of time: an ordinary day (values in each
// metric's usual band with a daily rhythm and noise), or a typhoon in which rain comes first and the
// water rises along the Huangpu and the coast, peaking above the warning level, then falls.
import type { Metric } from '../device.schema.ts';

export type Scenario = 'day' | 'typhoon';

/** Typhoon timeline in simulated hours: rain from 0, water peaks at PEAK_H, back to normal by END_H. */
const PEAK_H = 6;
const END_H = 14;

/** A deterministic pseudo-noise in [-1, 1] for a device, metric and time step. */
function noise(seed: number, step: number): number {
  let x = (seed ^ Math.imul(step + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) / 0xffffffff) * 2 - 1;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Storm strength 0..1 at simulated hour h (rises to the peak, then ebbs). */
export function storm(h: number): number {
  if (h <= 0 || h >= END_H) return 0;
  return h <= PEAK_H ? Math.sin(((h / PEAK_H) * Math.PI) / 2) : Math.cos((((h - PEAK_H) / (END_H - PEAK_H)) * Math.PI) / 2);
}

/**
 * One reading of a device at simulated time `t` (ms since the scenario began). Values stay inside
 * each metric's valid range; `exposure` (0..1) is how close the device is to the river or the coast.
 */
export function simulate(scenario: Scenario, deviceId: string, metrics: readonly Metric[], t: number, exposure: number): Record<string, number> {
  const hours = t / 3_600_000;
  const seed = hash(deviceId);
  const step = Math.floor(t / 60_000);
  const s = scenario === 'typhoon' ? storm(hours) : 0;
  const out: Record<string, number> = {};
  for (const m of metrics) {
    const [lo, hi] = m.normal ?? [m.min, m.max];
    const mid = (lo + hi) / 2;
    const half = (hi - lo) / 2;
    let v: number;
    if (m.unit === 'bool') v = 0;
    else v = mid + half * 0.5 * Math.sin((hours / 24) * 2 * Math.PI + (seed % 628) / 100) + half * 0.15 * noise(seed + m.key.length, step);
    if (s > 0) {
      if (m.key === 'waterLevel') v = hi + (5.6 - hi) * s * (0.6 + 0.4 * exposure) + 0.05 * noise(seed, step);
      else if (/rain/i.test(m.key)) v = hi + 70 * s;
      else if (/depth|ponding/i.test(m.key)) v = lo + 40 * s; // underpasses flood wherever the rain falls
    }
    const d = m.decimals ?? 2;
    out[m.key] = Math.round(Math.min(m.max, Math.max(m.min, v)) * 10 ** d) / 10 ** d;
  }
  return out;
}
