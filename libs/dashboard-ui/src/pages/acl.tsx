import { get } from '../api';
import { ErrorBox, Table, useLoad } from '../components';

interface Perm {
  resource: string;
  perm: string;
}
interface Account {
  accessKey: string;
  admin: boolean;
  whiteRemoteAddress: string[];
  defaultTopicPerm: string;
  defaultGroupPerm: string;
  topicPerms: Perm[];
  groupPerms: Perm[];
}
interface AclView {
  configs: { brokers: string[]; aclEnabled: boolean; globalWhiteRemoteAddresses: string[]; accounts: Account[] }[];
  brokersAgree: boolean;
  failures: { broker: string; code: string; error: string }[];
}

const perms = (p: Perm[]) => (p.length ? p.map((x) => `${x.resource}=${x.perm}`).join(', ') : '—');

/** The ACL accounts each broker enforces (plain_acl.yml as last loaded); secrets never leave the brokers. */
export function AclPage() {
  const { data, error } = useLoad(() => get<AclView>('/api/acl'), []);
  return (
    <main>
      <h2>ACL accounts</h2>
      <p class="muted">As each broker loaded its plain_acl.yml (edits apply within seconds, without a restart). Secret keys are never shown.</p>
      <ErrorBox error={error} />
      {data?.failures.length ? (
        <div class="banner" role="status">
          Did not answer: {data.failures.map((f) => `${f.broker} (${f.code})`).join(', ')}
        </div>
      ) : null}
      {data && !data.brokersAgree ? (
        <div class="banner" role="status" data-testid="acl-differs">
          The brokers enforce different accounts: each configuration is shown with its brokers.
        </div>
      ) : null}
      {data?.configs.map((c) => (
        <section key={c.brokers.join(',')} aria-label={`ACL of ${c.brokers.join(', ')}`}>
          <h3>{c.brokers.join(', ')}</h3>
          {!c.aclEnabled ? (
            <p data-testid="acl-off">ACL is off (aclEnable=false): these brokers check no credentials.</p>
          ) : (
            <>
              <p>Global white list: {c.globalWhiteRemoteAddresses.join(', ') || 'none'}</p>
              <Table
                head={['Access key', 'Admin', 'White list', 'Default topic', 'Default group', 'Topics', 'Groups']}
                rows={c.accounts.map((a) => [
                  <code>{a.accessKey}</code>,
                  a.admin ? 'yes' : 'no',
                  a.whiteRemoteAddress.join(', ') || '—',
                  a.defaultTopicPerm,
                  a.defaultGroupPerm,
                  perms(a.topicPerms),
                  perms(a.groupPerms),
                ])}
              />
            </>
          )}
        </section>
      ))}
    </main>
  );
}
