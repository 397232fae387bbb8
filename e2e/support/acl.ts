// The ACL tests' accounts and brokers: plain_acl.yml with an application account (some topics and
// one group) and an admin account, and a broker that paces refusals.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startBroker, startNamesrv } from './cluster';
import { type AppProcess, grpcAddress, tmpDir } from './processes';

export const APP = { accessKey: 'AppUser01', accessSecret: 'app-secret-1' };
export const ADMIN = { accessKey: 'AdminUser1', accessSecret: 'admin-secret' };
export const ACL_FILE = `
accounts:
  - accessKey: ${APP.accessKey}
    secretKey: ${APP.accessSecret}
    defaultTopicPerm: DENY
    defaultGroupPerm: DENY
    topicPerms:
      - AclOpen=PUB|SUB
      - AclReadOnly=SUB
    groupPerms:
      - GID_ACL=SUB
  - accessKey: ${ADMIN.accessKey}
    secretKey: ${ADMIN.accessSecret}
    admin: true
`;

/**
 * A broker with ACL_FILE that paces refusals at one a second past `freeFailures` per window. Its own
 * name server (started with `namesrvExtra`): the clients of the other tests (some with bad credentials) never learn of it.
 */
export async function startPacedBroker(
  label: string,
  freeFailures: number,
  extra: string[] = [],
  namesrvExtra: string[] = [],
): Promise<AppProcess & { namesrvAddr: string }> {
  const file = path.join(tmpDir(`orbitmq-acl-${label}-`), 'plain_acl.yml');
  fs.writeFileSync(file, ACL_FILE);
  const namesrvAddr = grpcAddress(await startNamesrv(namesrvExtra));
  const broker = await startBroker(namesrvAddr, {
    extra: [
      '--aclEnable',
      'true',
      '--aclFilePath',
      file,
      '--aclAuthFailuresBeforeDelay',
      String(freeFailures),
      '--aclAuthFailureRefusalsPerSecond',
      '1',
      ...extra,
    ],
  });
  return Object.assign(broker, { namesrvAddr });
}
