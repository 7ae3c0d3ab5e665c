// The key a client address is counted under by rate limits (logins, public verification).
import { isIP } from 'node:net';

/** Expands a valid IPv6 address (no zone) to its eight 16-bit groups. */
function ipv6Groups(ip: string): number[] {
  let s = ip;
  const dot = s.lastIndexOf(':');
  if (s.includes('.')) {
    // A trailing dotted IPv4 part (::ffff:192.0.2.1) is two groups written differently.
    const o = s.slice(dot + 1).split('.').map(Number);
    s = `${s.slice(0, dot + 1)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const a = parse(head);
  const b = tail === undefined ? [] : parse(tail);
  return [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
}

/**
 * The key one client address is counted under: an IPv4 address as it is (IPv4-mapped IPv6
 * `::ffff:a.b.c.d` too), an IPv6 address by its /64 — one subscriber usually holds a whole /64, so
 * counting single IPv6 addresses would let anyone walk around the limit.
 */
export function clientKey(ip: string): string {
  const bare = ip.trim().replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return bare;
  if (family !== 6) return bare.slice(0, 64);
  const g = ipv6Groups(bare.toLowerCase());
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}
