/**
 * Which addresses an outbound request made on a repository's behalf may not reach: loopback,
 * link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254), private, shared (CGNAT),
 * unspecified, documentation, benchmarking, multicast and reserved ranges, from IANA's IPv4 and
 * IPv6 Special-Purpose Address Registries (RFC 6890). IPv6 forms that embed an IPv4 address
 * (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are
 * judged by that address too.
 */
import { BlockList, isIP } from "node:net";

const IPV4_REFUSED: readonly [string, number][] = [
  ["0.0.0.0", 8], // "this network", 0.0.0.0 reaches the local host on Linux
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // shared address space (CGNAT)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local: cloud metadata endpoints
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255
];

const IPV6_REFUSED: readonly [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo 2001::/32 included)
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local, fd00::/8 included (AWS metadata fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const v4 = new BlockList();
for (const [net, prefix] of IPV4_REFUSED) v4.addSubnet(net, prefix, "ipv4");
const v6 = new BlockList();
for (const [net, prefix] of IPV6_REFUSED) v6.addSubnet(net, prefix, "ipv6");

/** The 16 bytes of an IPv6 address (zone id dropped), or undefined when it is not one. */
const ipv6Bytes = (address: string): number[] | undefined => {
  let text = address.split("%")[0] ?? "";
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
};

const startsWith = (bytes: number[], prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const ZERO_80 = Array<number>(10).fill(0);

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
const embeddedIpv4 = (bytes: number[]): string | undefined => {
  const quad = (at: number) => bytes.slice(at, at + 4).join(".");
  if (startsWith(bytes, [...ZERO_80, 0xff, 0xff])) return quad(12);
  if (startsWith(bytes, [...ZERO_80, 0, 0])) return quad(12);
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...Array<number>(8).fill(0)])) return quad(12);
  if (startsWith(bytes, [0x20, 0x02])) return quad(2);
  return undefined;
};

/** Whether `address` (an IP literal) is one that outbound requests may not reach. */
export const isRefusedAddress = (address: string): boolean => {
  const family = isIP(address.split("%")[0] ?? "");
  if (family === 4) return v4.check(address, "ipv4");
  const bytes = ipv6Bytes(address);
  // Not an address we can read: refuse rather than guess.
  if (family !== 6 || !bytes) return true;
  const inner = embeddedIpv4(bytes);
  if (inner !== undefined && v4.check(inner, "ipv4")) return true;
  return v6.check(address.split("%")[0] ?? "", "ipv6");
};
