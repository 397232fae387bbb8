import * as fs from 'node:fs';
import { pollFiles } from '@orbitmq/protocol';
import { AclFileError, type AclConfig, parsePlainAcl } from './plain-acl-file';

/** How often the file's identity, size and modification time are looked at (survives editors' renames). */
export const ACL_FILE_POLL_MS = 1_000;

/** Reads and parses plain_acl.yml; AclFileError names the path and what is wrong. */
export function loadAclFile(path: string): AclConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new AclFileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parsePlainAcl(text);
  } catch (e) {
    throw new AclFileError(`${path}: ${(e as Error).message}`);
  }
}

export interface AclReloadEvents {
  /** The edited file is in force. */
  reloaded(accounts: number): void;
  /** The edited file was refused; the previous accounts stay in force. */
  rejected(message: string): void;
}

/**
 * Reloads the file when it changes, without a restart (RocketMQ watches plain_acl.yml too). A
 * file that no longer parses (or was deleted) keeps the last good accounts and is reported.
 * Returns a function that stops watching.
 */
export function watchAclFile(path: string, apply: (config: AclConfig) => void, events: AclReloadEvents, pollMs = ACL_FILE_POLL_MS): () => void {
  return pollFiles([path], pollMs, () => {
    try {
      const config = loadAclFile(path);
      apply(config);
      events.reloaded(config.accounts.size);
    } catch (e) {
      events.rejected((e as Error).message);
    }
  });
}
