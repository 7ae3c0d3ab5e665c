// The few protobuf wire-format primitives a vector tile needs (varints, zigzag, length-delimited
// messages, packed repeated fields), written by hand so the encoder has no dependencies.

const textEncoder = new TextEncoder();
const TWO_POW_32 = 2 ** 32;

export enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
}

/** A growable byte buffer with the few protobuf primitives the tile format needs. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint of a non-negative safe integer (up to 2^53 - 1). */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint needs a non-negative safe integer, got ${n}`);
    this.ensure(8);
    if (n < TWO_POW_32) {
      // Fast path: bit operations are exact below 2^32 (`>>>` keeps the value unsigned).
      while (n > 0x7f) {
        this.buf[this.pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.pos++] = n;
      return;
    }
    while (n > 0x7f) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** Unsigned varint of a non-negative bigint (up to 2^64 - 1). */
  varintBig(n: bigint): void {
    if (n < 0n || n >= 1n << 64n) throw new RangeError(`varint needs a value in 0..2^64-1, got ${n}`);
    this.ensure(10);
    while (n > 0x7fn) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  tag(field: number, wire: WireType): void {
    this.varint(field * 8 + wire);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Little-endian IEEE-754 double. */
  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  varintField(field: number, n: number): void {
    this.tag(field, WireType.Varint);
    this.varint(n);
  }

  stringField(field: number, s: string): void {
    const b = textEncoder.encode(s);
    this.tag(field, WireType.Bytes);
    this.varint(b.length);
    this.bytes(b);
  }

  doubleField(field: number, v: number): void {
    this.tag(field, WireType.Fixed64);
    this.double(v);
  }

  /**
   * A length-delimited field whose body `write` produces in place: one byte is reserved for the length
   * and the body is shifted along when the length turns out to need more.
   */
  message(field: number, write: () => void): void {
    this.tag(field, WireType.Bytes);
    this.ensure(1);
    const lengthAt = this.pos++;
    const bodyStart = this.pos;
    write();
    const length = this.pos - bodyStart;
    let lengthBytes = 1;
    for (let rest = length; rest > 0x7f; rest = Math.floor(rest / 0x80)) lengthBytes++;
    if (lengthBytes > 1) {
      this.ensure(lengthBytes - 1);
      this.buf.copyWithin(bodyStart + lengthBytes - 1, bodyStart, this.pos);
      this.pos += lengthBytes - 1;
    }
    let p = lengthAt;
    let rest = length;
    while (rest > 0x7f) {
      this.buf[p++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[p] = rest;
  }

  /** A packed repeated varint field (omitted when empty). */
  packedVarints(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    this.message(field, () => {
      for (const v of values) this.varint(v);
    });
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Zigzag encoding (protobuf sint32/sint64) of a safe integer, as a number when exact. */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function zigzagBig(n: number): bigint {
  const b = BigInt(n);
  return b >= 0n ? b << 1n : (-b << 1n) - 1n;
}
