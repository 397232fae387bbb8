import { isIPv4, isIPv6 } from 'node:net';

/**
 * RocketMQ's remote-address white-list patterns (RemoteAddressStrategyFactory), for
 * `globalWhiteRemoteAddresses` and an account's `whiteRemoteAddress`:
 *   `*` (or `*.*.*.*`)            everyone;
 *   `192.168.0.1`                 one address (IPv4 or IPv6);
 *   `192.168.0.{1,2,3}`           a list in the last segment;
 *   `192.168.1.1-200`, `192.168.*` or `192.168.1.*`   ranges and wildcards, per segment.
 * A pattern that fits none of these is refused when the file is loaded.
 */
export type AddressMatcher = (ip: string) => boolean;

const NOBODY: AddressMatcher = () => false;

export function addressMatcher(pattern: string): AddressMatcher {
  const p = pattern.trim();
  if (p === '') return NOBODY;
  if (p === '*' || p === '*.*.*.*') return () => true;
  if (isIPv6(p)) {
    const want = p.toLowerCase();
    return (ip) => normalize(ip).toLowerCase() === want;
  }
  if (isIPv4(p)) return (ip) => normalize(ip) === p;
  const list = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\{([\d,\s]+)\}$/.exec(p);
  if (list) {
    const prefix = list[1] as string;
    const lasts = (list[2] as string).split(',').map((s) => s.trim());
    if (!isIPv4(`${prefix}.0`) || lasts.some((s) => !isOctet(s))) throw badPattern(pattern);
    const allowed = new Set(lasts.map((s) => `${prefix}.${Number(s)}`));
    return (ip) => allowed.has(normalize(ip));
  }
  const segments = p.split('.');
  if (segments.length < 2 || segments.length > 4) throw badPattern(pattern);
  const checks = segments.map((s, i) => segmentCheck(s, i === segments.length - 1, pattern));
  return (ip) => {
    const parts = normalize(ip).split('.');
    if (parts.length !== 4 || !isIPv4(parts.join('.'))) return false;
    // A shorter pattern ending in `*` covers the remaining segments (`192.168.*`).
    return parts.every((part, i) => {
      const check = checks[i] ?? (segments[segments.length - 1] === '*' ? () => true : undefined);
      return check ? check(Number(part)) : false;
    });
  };
}

/** Matches when any of the patterns does. */
export function anyAddress(patterns: readonly string[]): AddressMatcher {
  const matchers = patterns.map(addressMatcher);
  return (ip) => matchers.some((m) => m(ip));
}

function segmentCheck(s: string, last: boolean, pattern: string): (n: number) => boolean {
  if (s === '*') return () => true;
  if (isOctet(s)) return (n) => n === Number(s);
  const range = /^(\d{1,3})-(\d{1,3})$/.exec(s);
  if (range && last && isOctet(range[1] as string) && isOctet(range[2] as string)) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (from <= to) return (n) => n >= from && n <= to;
  }
  throw badPattern(pattern);
}

function isOctet(s: string): boolean {
  return /^\d{1,3}$/.test(s) && Number(s) <= 255;
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function normalize(ip: string): string {
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

function badPattern(pattern: string): Error {
  return new Error(`'${pattern}' is not a remote-address pattern (an address, *, a.b.c.{x,y}, a.b.c.x-y or a.b.*)`);
}
