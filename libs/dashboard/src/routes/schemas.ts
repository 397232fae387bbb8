/** RocketMQ's names: topics and groups (letters, digits, %|_-; up to 127 characters). */
export const TOPIC = { type: 'string', pattern: '^[%|a-zA-Z0-9_-]{1,127}$' } as const;
export const GROUP = { type: 'string', pattern: '^[%|a-zA-Z0-9_-]{1,120}$' } as const;
export const TOPIC_PARAMS = { type: 'object', required: ['topic'], properties: { topic: TOPIC } } as const;
export const GROUP_PARAMS = { type: 'object', required: ['topic', 'group'], properties: { topic: TOPIC, group: GROUP } } as const;

/** What a write answers besides its result: the same change as an mqadmin command line. */
export function mqadmin(namesrvAddr: string, command: string, ...args: (string | number)[]): string {
  const quote = (a: string | number): string => (typeof a === 'number' || /^[\w.:,%@/-]+$/.test(a) ? String(a) : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['npm run mqadmin --', command, '-n', quote(namesrvAddr), ...args.map(quote)].join(' ');
}
