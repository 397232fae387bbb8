import { NameServerClients } from '@orbitmq/namesrv-client';

export interface GlobalOptions {
  namesrvAddr: string;
  json: boolean;
  timeoutMs: number;
  /** An ACL admin account (brokers with aclEnable): every broker call is signed with it. */
  accessKey?: string;
  secretKey?: string;
}

/** What a command prints: a table (default) or JSON (--json). */
export interface Output {
  text: string;
  json: unknown;
  /** Set when the output is printed but the command did not fully succeed (a broker did not answer). */
  exitCode?: number;
}

export function nameServers(opts: GlobalOptions): NameServerClients {
  return NameServerClients.parse(opts.namesrvAddr, { deadlineMs: opts.timeoutMs, retries: 1 });
}
