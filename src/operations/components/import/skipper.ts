// Which records a scanner (FeatureCollection, NDJSON, CSV) reads past without parsing or yielding.
import type { ScanOptions } from './geojson-stream.ts';

/** Which records a scanner reads past without yielding: the first `skip`, then those `want` declines. */
export class Skipper {
  private left: number;
  private readonly want?: (ordinal: number) => boolean;

  constructor(o: ScanOptions) {
    this.left = o.skip;
    this.want = o.want;
  }

  /** Whether the record with this ordinal is passed over; asked once per record, in order. */
  passes(ordinal: number): boolean {
    if (this.left > 0) {
      this.left--;
      return true;
    }
    return this.want !== undefined && !this.want(ordinal);
  }
}
