// A metric's recent readings as the rules keep them: times and values in two typed arrays, oldest
// first. The engine holds up to 720 readings per device and metric for the rules' windows — tens of
// millions across a city. As one object per reading (about 40 bytes, and one more object for every
// garbage collection to walk) the ingest benchmark held 4–6 GB of heap per 100,000 devices; as two
// arrays per series, about 1.2 GB.

/** What the evaluator reads (condition.ts). */
export interface SeriesView {
  readonly length: number;
  /** Time (epoch ms) of the i-th oldest reading. */
  time(i: number): number;
  value(i: number): number;
  /** Index of the first reading at or after `t` (`length` when none). */
  firstFrom(t: number): number;
}

export const EMPTY_SERIES: SeriesView = { length: 0, time: () => NaN, value: () => NaN, firstFrom: () => 0 };

/**
 * A ring: capacity a power of two, the oldest reading at `head`. Appending and dropping the oldest
 * (what the engine does with every reading) move no data; only growth copies.
 */
export class Series implements SeriesView {
  private times = new Float64Array(8);
  private values = new Float64Array(8);
  private mask = 7;
  private head = 0;
  length = 0;

  time(i: number): number {
    return this.times[(this.head + i) & this.mask]!;
  }

  value(i: number): number {
    return this.values[(this.head + i) & this.mask]!;
  }

  firstFrom(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a reading in time order; a second reading at the same time is ignored (the first stays). */
  add(at: number, value: number): void {
    let i = this.length;
    while (i > 0 && this.time(i - 1) > at) i--;
    if (i > 0 && this.time(i - 1) === at) return;
    if (this.length === this.times.length) this.grow();
    // Out of order (a device's buffered readings arriving late): the newer ones move up one.
    for (let j = this.length; j > i; j--) {
      const to = (this.head + j) & this.mask;
      const from = (this.head + j - 1) & this.mask;
      this.times[to] = this.times[from]!;
      this.values[to] = this.values[from]!;
    }
    const k = (this.head + i) & this.mask;
    this.times[k] = at;
    this.values[k] = value;
    this.length++;
  }

  /** Drops the oldest `n` readings; a ring left mostly empty after a burst gives its room back. */
  drop(n: number): void {
    n = Math.min(n, this.length);
    this.head = (this.head + n) & this.mask;
    this.length -= n;
    let size = this.times.length;
    while (size > 1024 && this.length < size / 4) size /= 2;
    if (size !== this.times.length) this.resize(size);
  }

  /** The newest `n` readings, oldest first, as objects (an alert's evidence). */
  tail(n: number): Array<{ at: number; value: number }> {
    const out: Array<{ at: number; value: number }> = [];
    for (let i = Math.max(0, this.length - n); i < this.length; i++) out.push({ at: this.time(i), value: this.value(i) });
    return out;
  }

  private grow(): void {
    this.resize(this.times.length * 2);
  }

  /** Copies the readings held into arrays of `size` (a power of two, at least `length`). */
  private resize(size: number): void {
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    for (let i = 0; i < this.length; i++) {
      times[i] = this.time(i);
      values[i] = this.value(i);
    }
    this.times = times;
    this.values = values;
    this.mask = size - 1;
    this.head = 0;
  }
}
