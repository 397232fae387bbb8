/** RocketMQ's names: topics and groups (letters, digits, %|_-; up to 127 characters). */
export const TOPIC = { type: 'string', pattern: '^[%|a-zA-Z0-9_-]{1,127}$' } as const;
export const GROUP = { type: 'string', pattern: '^[%|a-zA-Z0-9_-]{1,120}$' } as const;
/** A broker name as the name servers list it. */
export const BROKER_NAME = { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,127}$' } as const;
export const TOPIC_PARAMS = { type: 'object', required: ['topic'], properties: { topic: TOPIC } } as const;
export const GROUP_PARAMS = { type: 'object', required: ['topic', 'group'], properties: { topic: TOPIC, group: GROUP } } as const;

/** What a write answers besides its result: the same change as an mqadmin command line. */
export function mqadmin(namesrvAddr: string, command: string, ...args: (string | number)[]): string {
  const quote = (a: string | number): string => (typeof a === 'number' || /^[\w.:,%@/-]+$/.test(a) ? String(a) : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['npm run mqadmin --', command, '-n', quote(namesrvAddr), ...args.map(quote)].join(' ');
}

export interface PageQuery {
  search?: string;
  offset: number;
  limit: number;
}

/** The querystring of a list paged on the server (topics, groups). */
export function pageQuerySchema(maxPageSize: number) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      search: { type: 'string', maxLength: 127 },
      offset: { type: 'integer', minimum: 0, default: 0 },
      limit: { type: 'integer', minimum: 1, maximum: maxPageSize, default: 100 },
    },
  } as const;
}

/** The items whose name contains `search` (any case), and one page of them. */
export function pageOf<T>(items: readonly T[], q: PageQuery, nameOf: (item: T) => string): { total: number; offset: number; page: T[] } {
  const needle = q.search?.toLowerCase() ?? '';
  const matching = needle ? items.filter((i) => nameOf(i).toLowerCase().includes(needle)) : items;
  return { total: matching.length, offset: q.offset, page: matching.slice(q.offset, q.offset + q.limit) };
}
