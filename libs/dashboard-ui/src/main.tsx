import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { get, post, setCsrfToken } from './api';
import { ErrorBox } from './components';
import { AclPage } from './pages/acl';
import { BrokerPage } from './pages/broker';
import { GroupPage } from './pages/group';
import { GroupsPage } from './pages/groups';
import { Login } from './pages/login';
import { MessagesPage } from './pages/messages';
import { OverviewPage } from './pages/overview';
import { PendingPage } from './pages/pending';
import { TopicPage } from './pages/topic';
import { TopicsPage } from './pages/topics';
import { type SessionView, route, session } from './state';

const NAV: [string, string][] = [
  ['', 'Cluster'],
  ['topics', 'Topics'],
  ['groups', 'Groups'],
  ['messages', 'Messages'],
  ['pending', 'Delayed & transactions'],
  ['acl', 'ACL'],
];

function Page() {
  const [first, second] = route.value;
  if (first === 'brokers' && second) return <BrokerPage brokerName={second} brokerId={route.value[2] ?? '0'} />;
  if (first === 'topics' && second) return <TopicPage topic={second} />;
  if (first === 'topics') return <TopicsPage />;
  if (first === 'groups' && second) return <GroupPage group={second} />;
  if (first === 'groups') return <GroupsPage />;
  if (first === 'messages') return <MessagesPage />;
  if (first === 'pending') return <PendingPage />;
  if (first === 'acl') return <AclPage />;
  return <OverviewPage />;
}

function App() {
  useEffect(() => {
    get<SessionView>('/api/session').then((s) => (session.value = s), () => (session.value = { authMode: 'unknown', readOnly: true, loggedIn: false }));
  }, []);
  const s = session.value;
  setCsrfToken(s?.csrfToken);
  if (!s) return <main aria-busy="true">Loading…</main>;
  return (
    <>
      <header>
        <h1>OrbitMQ</h1>
        {s.loggedIn ? (
          <nav aria-label="Pages">
            {NAV.map(([path, label]) => (
              <a key={path} href={`#/${path}`} aria-current={(route.value[0] ?? '') === path ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        ) : null}
        {s.loggedIn ? (
          <div class="who">
            <span>
              {s.user} ({s.role})
            </span>
            {s.authMode !== 'none' ? (
              <button type="button" onClick={() => void post('/api/logout', {}).then(() => (session.value = { ...s, loggedIn: false }))}>
                Log out
              </button>
            ) : null}
          </div>
        ) : null}
      </header>
      {s.readOnly ? (
        <div class="banner" role="status">
          Read-only dashboard: the server refuses every change.
        </div>
      ) : null}
      {s.loggedIn ? <Page /> : s.authMode === 'unknown' ? <ErrorBox error={new Error('the dashboard did not answer')} /> : <Login mode={s.authMode} />}
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
