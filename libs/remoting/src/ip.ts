// IP addresses as the raw bytes RocketMQ writes into records and message ids (Java's
// InetAddress.getAddress(): 4 bytes for IPv4, 16 for IPv6).
import { RemotingProtocolError } from './errors';

/** A host address in wire form: 4 or 16 address bytes and a port. */
export interface HostAddress {
  ip: Buffer;
  port: number;
}

function badAddress(message: string): RemotingProtocolError {
  return new RemotingProtocolError('REMOTING_BAD_ADDRESS', message);
}

function parseIpv4(text: string): Buffer | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    out[i] = Number(part);
  }
  return out;
}

function parseIpv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      groups.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIpv6(text: string): Buffer | undefined {
  const zoneless = text.split('%')[0] as string;
  const halves = zoneless.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] as string);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Bytes of an IP literal. IPv4-mapped IPv6 (Node's "::ffff:1.2.3.4") becomes 4 bytes, as Java's InetAddress does. */
export function parseIp(host: string): Buffer {
  const v4 = parseIpv4(host);
  if (v4) return v4;
  const v6 = parseIpv6(host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
  if (!v6) throw badAddress(`${JSON.stringify(host)} is not an IP address`);
  const mapped = v6.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]));
  return mapped ? Buffer.from(v6.subarray(12)) : v6;
}

/** Dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as "::"). */
export function formatIp(ip: Buffer): string {
  if (ip.length === 4) return `${ip[0]}.${ip[1]}.${ip[2]}.${ip[3]}`;
  if (ip.length !== 16) throw badAddress(`an IP address has 4 or 16 bytes, not ${ip.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(ip.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** A HostAddress from an IP literal and port; parse once and reuse it for many records. */
export function hostAddress(host: string, port: number): HostAddress {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw badAddress(`port ${port} is out of range`);
  return { ip: parseIp(host), port };
}

/** Splits "host:port" or "[v6]:port". */
export function splitHostPort(addr: string): { host: string; port: number } {
  const colon = addr.lastIndexOf(':');
  const portText = addr.slice(colon + 1);
  let host = addr.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (colon <= 0 || !/^\d{1,5}$/.test(portText) || Number(portText) > 0xffff || host === '') {
    throw badAddress(`${JSON.stringify(addr)} is not host:port`);
  }
  return { host, port: Number(portText) };
}
