import { NameServerClients } from '@orbitmq/namesrv-client';

/** How to reach and speak to a cluster's admin plane. */
export interface AdminOptions {
  /** "host:port;host:port": the name servers. */
  namesrvAddr: string;
  /** Deadline of each call. */
  timeoutMs: number;
  /** An ACL admin account (brokers with aclEnable): every broker call is signed with it. */
  accessKey?: string;
  secretKey?: string;
}

export function nameServers(opts: AdminOptions): NameServerClients {
  return NameServerClients.parse(opts.namesrvAddr, { deadlineMs: opts.timeoutMs, retries: 1 });
}
