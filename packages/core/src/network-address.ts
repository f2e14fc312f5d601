import { BlockList, isIP } from 'node:net';

/** A host name or address that only this machine can reach: a server bound to it is not exposed. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(h)
  );
}

/**
 * Address ranges a model URL must not reach unless its host is explicitly allowed: this machine,
 * link-local (cloud metadata at 169.254.169.254), private and unique-local networks, and the special
 * ranges (unspecified, CGNAT, benchmarking, multicast, reserved, NAT64, 6to4, IPv4-compatible).
 * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are checked against the IPv4 ranges.
 */
const RANGES: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'a private'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (CGNAT)'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local'],
  ['172.16.0.0', 12, 'ipv4', 'a private'],
  ['192.0.0.0', 24, 'ipv4', 'a special-purpose'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation'],
  ['192.168.0.0', 16, 'ipv4', 'a private'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved'],
  ['::', 128, 'ipv6', 'an unspecified'],
  ['::1', 128, 'ipv6', 'a loopback'],
  ['::', 96, 'ipv6', 'an IPv4-compatible'],
  ['64:ff9b::', 96, 'ipv6', 'a NAT64'],
  ['64:ff9b:1::', 48, 'ipv6', 'a NAT64'],
  ['100::', 64, 'ipv6', 'a discard-only'],
  ['2001:db8::', 32, 'ipv6', 'a documentation'],
  ['2002::', 16, 'ipv6', 'a 6to4'],
  ['fc00::', 7, 'ipv6', 'a unique-local'],
  ['fe80::', 10, 'ipv6', 'a link-local'],
  ['fec0::', 10, 'ipv6', 'a site-local'],
  ['ff00::', 8, 'ipv6', 'a multicast'],
];

const lists = RANGES.map(([network, prefix, type, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, kind };
});

/**
 * Why `address` (an IP literal) is not a public Internet address, e.g. `a loopback address`, or
 * undefined when it is public. Anything that is not an IP literal counts as not public.
 */
export function nonPublicAddressKind(address: string): string | undefined {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 0) return 'not an IP';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, kind } of lists) if (list.check(ip, type)) return `${kind} address`;
  return undefined;
}
