// A minimal MQTT 3.1.1 device for the benchmarks: one TCP connection, CONNECT with its id and
// secret, QoS 1 PUBLISH, and the broker's PUBACKs matched to the waiting publishes.
//
// Why not mqtt.js (which the tests use): the simulated devices share the benchmark machine's two
// cores with the system they measure. mqtt.js spent about 125 µs of CPU per message here (its
// stream pipeline, debug calls and per-packet objects), so the load generator took most of a core
// that real devices, on their own hardware, would not. This client writes each packet as one
// buffer and parses only what a publishing device receives (CONNACK, PUBACK, PINGRESP). It is still
// real MQTT over TCP: the broker sees the same packets, one connection per device.
import net from 'node:net';

export interface DeviceOptions {
  port: number;
  host?: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Seconds; the broker closes a connection silent for 1.5 × this. */
  keepalive?: number;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** MQTT's variable-length "remaining length". */
function lengthBytes(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function withString(parts: Buffer[], s: Buffer): void {
  const len = Buffer.allocUnsafe(2);
  len.writeUInt16BE(s.length);
  parts.push(len, s);
}

function connectPacket(o: DeviceOptions): Buffer {
  const body: Buffer[] = [];
  withString(body, utf8('MQTT'));
  // Protocol level 4 (3.1.1); flags: clean session, and username / password when given.
  const flags = 0x02 | (o.username !== undefined ? 0x80 : 0) | (o.password !== undefined ? 0x40 : 0);
  const keepalive = Buffer.allocUnsafe(2);
  keepalive.writeUInt16BE(o.keepalive ?? 120);
  body.push(Buffer.from([4, flags]), keepalive);
  withString(body, utf8(o.clientId));
  if (o.username !== undefined) withString(body, utf8(o.username));
  if (o.password !== undefined) withString(body, utf8(o.password));
  const rest = Buffer.concat(body);
  return Buffer.concat([Buffer.from([0x10, ...lengthBytes(rest.length)]), rest]);
}

export class MqttDevice {
  private readonly socket: net.Socket;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private pending = Buffer.alloc(0);
  private closed: Error | null = null;
  private readonly topics = new Map<string, Buffer>();

  private constructor(socket: net.Socket) {
    this.socket = socket;
  }

  /** Connects and waits for the broker's CONNACK; rejects with its return code when refused. */
  static connect(o: DeviceOptions): Promise<MqttDevice> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port: o.port, host: o.host ?? '127.0.0.1', noDelay: true });
      const device = new MqttDevice(socket);
      let connected = false;
      socket.on('error', (err) => device.fail(err, connected ? null : reject));
      socket.on('close', () => device.fail(new Error('connection closed'), connected ? null : reject));
      socket.on('data', (chunk) => {
        device.read(chunk, () => {
          connected = true;
          resolve(device);
        }, (code) => reject(new Error(`connection refused, return code ${code}`)));
      });
      socket.once('connect', () => socket.write(connectPacket(o)));
    });
  }

  /** Publishes at QoS 1; resolves on the broker's PUBACK. */
  publish(topic: string, payload: string | Buffer): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    let t = this.topics.get(topic);
    if (!t) this.topics.set(topic, (t = utf8(topic)));
    const body = typeof payload === 'string' ? utf8(payload) : payload;
    const id = this.nextId;
    this.nextId = (this.nextId % 0xffff) + 1;
    const rest = 2 + t.length + 2 + body.length;
    const head = lengthBytes(rest);
    const packet = Buffer.allocUnsafe(1 + head.length + rest);
    let at = 0;
    packet[at++] = 0x32; // PUBLISH, QoS 1
    for (const b of head) packet[at++] = b;
    at = packet.writeUInt16BE(t.length, at);
    at += t.copy(packet, at);
    at = packet.writeUInt16BE(id, at);
    body.copy(packet, at);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.write(packet);
    });
  }

  /** DISCONNECT, then closes the connection. */
  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.socket.destroyed) return resolve();
      this.closed = new Error('ended');
      this.socket.end(Buffer.from([0xe0, 0x00]), () => resolve());
    });
  }

  private read(chunk: Buffer, onConnack: () => void, onRefused: (code: number) => void): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 2) {
      // Packets a publishing device gets are short: one length byte.
      let len = 0;
      let mul = 1;
      let i = 1;
      for (; i < buf.length; i++) {
        len += (buf[i]! & 0x7f) * mul;
        mul *= 128;
        if ((buf[i]! & 0x80) === 0) break;
      }
      if (i >= buf.length || buf.length < i + 1 + len) break;
      const type = buf[0]! >> 4;
      const body = buf.subarray(i + 1, i + 1 + len);
      if (type === 4) {
        const id = body.readUInt16BE(0);
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        w?.resolve();
      } else if (type === 2) {
        if (body[1] === 0) onConnack();
        else onRefused(body[1]!);
      }
      buf = buf.subarray(i + 1 + len);
    }
    this.pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  private fail(err: Error, reject: ((e: Error) => void) | null): void {
    this.closed ??= err;
    reject?.(err);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
