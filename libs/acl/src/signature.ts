import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The signatures RocketMQ clients compute; the broker recomputes them with the account's secret.
 *
 * v5 (gRPC), every request's metadata (rocketmq-clients docs/transport.md):
 *   x-mq-date-time: 20210309T195445Z
 *   authorization:  MQv2-HMAC-SHA1 Credential=<accessKey>, SignedHeaders=x-mq-date-time, Signature=<HEX>
 * where HEX = upper-case hex of HMAC-SHA1(secretKey, x-mq-date-time). Only the time is signed, so
 * a captured header can be replayed: the broker bounds that by refusing times outside a window.
 *
 * 4.x remoting (AclUtils.combineRequestContent / calSignature): the request's extFields sorted by
 * name (without Signature), their values concatenated, then the body; Signature = base64 of
 * HMAC-SHA1(secretKey, that), sent with AccessKey in the extFields.
 */

export interface V2Authorization {
  accessKey: string;
  signature: string;
  signedHeaders: string;
}

/** Parses the v5 authorization header; undefined when it is not of that shape. */
export function parseV2Authorization(header: string): V2Authorization | undefined {
  const m = /^MQv2-HMAC-SHA1\s+(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of (m[1] as string).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  // RocketMQ's proxy takes the part of Credential before a '/' as the access key.
  const accessKey = (fields.get('Credential') ?? '').split('/')[0] ?? '';
  const signature = fields.get('Signature') ?? '';
  if (!accessKey || !signature) return undefined;
  return { accessKey, signature, signedHeaders: fields.get('SignedHeaders') ?? '' };
}

/** What a v5 client signs: HMAC-SHA1(secret, dateTime) as upper-case hex. */
export function v2Signature(secretKey: string, dateTime: string): string {
  return createHmac('sha1', secretKey).update(dateTime).digest('hex').toUpperCase();
}

/** x-mq-date-time ("yyyyMMdd'T'HHmmss'Z'", UTC) in ms; undefined when malformed. */
export function parseV2DateTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 20250230 over to March: refuse dates that do not exist.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

/** Names the remoting signature leaves out (RocketMQ: the signature itself and a query flag). */
const UNSIGNED_FIELDS = new Set(['Signature', 'UNIQUE_MSG_QUERY_FLAG']);

/** What a 4.x client signs: sorted extField values, then the body. */
export function remotingSignedContent(extFields: Readonly<Record<string, string | undefined>>, body: Buffer | undefined): Buffer {
  const names = Object.keys(extFields)
    .filter((k) => !UNSIGNED_FIELDS.has(k) && extFields[k] !== undefined && extFields[k] !== null)
    .sort();
  const head = Buffer.from(names.map((k) => extFields[k] as string).join(''), 'utf8');
  return body && body.length > 0 ? Buffer.concat([head, body]) : head;
}

export function remotingSignature(secretKey: string, content: Buffer): string {
  return createHmac('sha1', secretKey).update(content).digest('base64');
}

/** Constant-time comparison of two signatures (strings of any length). */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
