import { signal } from '@preact/signals';

export interface SessionView {
  authMode: string;
  readOnly: boolean;
  loggedIn: boolean;
  user?: string;
  role?: 'admin' | 'viewer';
  csrfToken?: string;
}

export const session = signal<SessionView | undefined>(undefined);

/** Whether write controls are offered at all (the server refuses writes regardless). */
export const canWrite = (): boolean => session.value?.role === 'admin' && !session.value.readOnly;

/** The hash route: #/topics/OrderTopic -> ['topics', 'OrderTopic']. */
export const route = signal<string[]>([]);
const parse = (): string[] => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
route.value = parse();
addEventListener('hashchange', () => {
  route.value = parse();
});
