import * as os from 'node:os';

/**
 * The first non-internal IPv4 address, else 127.0.0.1: what a process advertises when it is not
 * told an address (RocketMQ picks brokerIP1 this way; filter servers do the same).
 */
export function defaultHostAddress(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
