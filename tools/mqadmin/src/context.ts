import type { AdminOptions } from '@orbitmq/admin-client';

export { nameServers } from '@orbitmq/admin-client';

export interface GlobalOptions extends AdminOptions {
  json: boolean;
}

/** What a command prints: a table (default) or JSON (--json). */
export interface Output {
  text: string;
  json: unknown;
  /** Set when the output is printed but the command did not fully succeed (a broker did not answer). */
  exitCode?: number;
}
