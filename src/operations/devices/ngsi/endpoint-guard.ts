// Where NGSI-LD notifications may go. A subscription makes this server POST to a URL its creator
// chose; without a guard an official's subscription could reach what only the server can reach
// (loopback services, the cloud's metadata address, the internal network). So private, loopback and
// link-local addresses are refused — when the subscription is made (a literal address or
// `localhost`) and again at each delivery (the address the connection is made to) — unless the
// host is named in YIWANG_NOTIFY_PRIVATE_HOSTS (say, an internal dispatch system), or that is `*`.
import dns from 'node:dns/promises';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [address, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['192.0.0.0', 24], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  blocked.addSubnet(address, prefix, 'ipv4');
}
// IPv6: loopback, unspecified, IPv4-compatible, NAT64 and 6to4 (both embed an IPv4 address), unique-local, link-local, multicast.
for (const [address, prefix] of [['::', 96], ['::1', 128], ['64:ff9b::', 96], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(address, prefix, 'ipv6');

/** Whether an IP address is private, loopback, link-local, multicast or unspecified (IPv4-mapped IPv6 judged as IPv4). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = net.isIP(ip);
  if (family === 0) return false;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as a name or a bare IP (IPv6 without its brackets), lower-cased. */
const hostOf = (uri: string) => new URL(uri).hostname.replace(/^\[|\]$/g, '').toLowerCase();

const allowed = (host: string, exceptions: readonly string[]) => exceptions.includes('*') || exceptions.includes(host);

/** At creation: why the URL may not be notified (a private literal address or localhost), or null. */
export function endpointRefusal(uri: string, exceptions: readonly string[]): string | null {
  const host = hostOf(uri);
  if (allowed(host, exceptions)) return null;
  if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) return privateReason(host);
  return null;
}

/** Raised by the guarded lookup: the delivery is refused, not retried. */
export class PrivateEndpointError extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/**
 * A DNS lookup for the delivery's own connection that refuses private addresses: the address checked
 * is the address connected to, so a name that answers "public" once and "private" the next time
 * (DNS rebinding) gets nowhere. Literal addresses never reach a lookup; they were checked when the
 * subscription was made, and are checked again by `literalRefusal`.
 */
export function guardedLookup(exceptions: readonly string[]) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dns.lookup(hostname, { all: true, verbatim: true, family: options.family ?? 0 }).then(
      (addresses) => {
        const host = hostname.toLowerCase();
        const hit = allowed(host, exceptions) ? undefined : addresses.find((a) => isPrivateAddress(a.address));
        if (hit) return callback(new PrivateEndpointError(`${host} resolves to ${hit.address}: ${WHY}`), '');
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** Before a delivery to a literal address: why it may not be reached, or null. */
export function literalRefusal(uri: string, exceptions: readonly string[]): string | null {
  const host = hostOf(uri);
  if (!net.isIP(host) || allowed(host, exceptions)) return null;
  return isPrivateAddress(host) ? privateReason(host) : null;
}

const WHY = 'a private, loopback or link-local address, which notifications do not go to (an administrator can allow the host with YIWANG_NOTIFY_PRIVATE_HOSTS)';
const privateReason = (host: string) => `${host} is ${WHY}`;
