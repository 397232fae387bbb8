/**
 * Java .properties parsing, as RocketMQ's broker.properties files are written: `key=value`,
 * `key: value` or `key value`; `#` and `!` comment lines; a trailing backslash continues a line;
 * \t \n \r \f \uXXXX and escaped separators are unescaped. Later keys win. Trailing whitespace is
 * dropped from values, as RocketMQ does (MixAll.properties2Object trims what Properties.load returns).
 *
 * Why not the dot-properties package (1.1.2, tried against these tests): it keeps trailing whitespace
 * (`b : two words ` gives 'two words ', as Properties.load does, not RocketMQ), and a backslash before a
 * lone-CR line end leaves '\r' plus the next line's indent in the value instead of continuing the line.
 */
export interface PropertyLine {
  key: string;
  value: string;
  line: number;
}

export function parseProperties(text: string): PropertyLine[] {
  const out: PropertyLine[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = (lines[i] as string).replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithOddBackslashes(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++i] as string).replace(/^[ \t\f]+/, '');
    }
    const { key, rest } = splitKey(logical);
    out.push({ key: unescape(key), value: unescape(rest), line: startLine });
  }
  return out;
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function splitKey(s: string): { key: string; rest: string } {
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = s.slice(0, i);
  let j = i;
  while (j < s.length && /[ \t\f]/.test(s[j] as string)) j++;
  if (j < s.length && (s[j] === '=' || s[j] === ':')) j++;
  while (j < s.length && /[ \t\f]/.test(s[j] as string)) j++;
  return { key, rest: s.slice(j).replace(/[ \t\f]+$/, '') };
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}
