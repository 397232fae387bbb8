import { NameServerClients } from '@orbitmq/namesrv-client';

export interface GlobalOptions {
  namesrvAddr: string;
  json: boolean;
  timeoutMs: number;
}

/** What a command prints: a table (default) or JSON (--json). */
export interface Output {
  text: string;
  json: unknown;
}

export function nameServers(opts: GlobalOptions): NameServerClients {
  return NameServerClients.parse(opts.namesrvAddr, { deadlineMs: opts.timeoutMs, retries: 1 });
}
