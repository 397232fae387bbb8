/** The dashboard's JSON API as the pages use it: same origin, the session cookie, the CSRF header on writes. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? '';
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const json = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, json.code ?? 'HTTP_' + res.status, json.message ?? res.statusText);
  return json as T;
}

export const get = <T>(url: string): Promise<T> => api<T>('GET', url);
export const post = <T>(url: string, body: unknown): Promise<T> => api<T>('POST', url, body);
export const del = <T>(url: string): Promise<T> => api<T>('DELETE', url);

export function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * A GET answered with server-sent events, read through fetch (not EventSource) so a refusal's
 * JSON (400, 429, ...) reaches the page as an ApiError. Resolves when the stream ends; `signal`
 * stops it.
 */
export async function streamEvents(url: string, onEvent: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin', signal });
  if (!res.ok || !res.body) {
    const json = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, json.code ?? 'HTTP_' + res.status, json.message ?? res.statusText);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let cut: number;
    while ((cut = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, cut);
      buffered = buffered.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) onEvent(event, JSON.parse(data));
    }
  }
}
