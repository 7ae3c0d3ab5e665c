// Where NGSI-LD notifications may go. A subscription makes this server POST to a URL its creator
// chose; without a guard an official's subscription could reach what only the server can reach
// (loopback services, the cloud's metadata address, the internal network). So private, loopback and
// link-local addresses are refused — when the subscription is made (a literal address or
// `localhost`) and again before each delivery (the host's DNS answer, which may change) — unless the
// host is named in YIWANG_NOTIFY_PRIVATE_HOSTS (say, an internal dispatch system), or that is `*`.
import dns from 'node:dns/promises';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [address, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  blocked.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(address, prefix, 'ipv6');

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

/** Before a delivery: why the URL's host may not be reached now (it resolves to a private address), or null. */
export async function deliveryRefusal(uri: string, exceptions: readonly string[]): Promise<string | null> {
  const host = hostOf(uri);
  if (allowed(host, exceptions)) return null;
  if (net.isIP(host)) return isPrivateAddress(host) ? privateReason(host) : null;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    return null; // the delivery fails on its own with "could not reach", and is retried
  }
  const hit = addresses.find((a) => isPrivateAddress(a.address));
  return hit ? `${host} resolves to ${hit.address}: ${WHY}` : null;
}

const WHY = 'a private, loopback or link-local address, which notifications do not go to (an administrator can allow the host with YIWANG_NOTIFY_PRIVATE_HOSTS)';
const privateReason = (host: string) => `${host} is ${WHY}`;
