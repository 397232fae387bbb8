import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorBox } from '../components';
import { type SessionView, session } from '../state';

export function Login({ mode }: { mode: string }) {
  const [error, setError] = useState<unknown>();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const acl = mode === 'acl';
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      session.value = await post<SessionView>('/api/login', acl ? { accessKey: a, secretKey: b } : { user: a, password: b });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main>
      <form class="login" onSubmit={submit}>
        <h2>Log in to OrbitMQ</h2>
        <label>
          {acl ? 'Access key (an admin account of plain_acl.yml)' : 'User'}
          <input name="user" autocomplete="username" value={a} onInput={(e) => setA(e.currentTarget.value)} />
        </label>
        <label>
          {acl ? 'Secret key' : 'Password'}
          <input name="password" type="password" autocomplete="current-password" value={b} onInput={(e) => setB(e.currentTarget.value)} />
        </label>
        <button type="submit">Log in</button>
        <ErrorBox error={error} />
      </form>
    </main>
  );
}
