import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseProperties } from '../src';

test('properties: separators, comments, continuations, escapes, last key wins', () => {
  const text = [
    '# comment',
    '! also a comment',
    '   ',
    'a=1',
    'b : two words ',
    'c 3',
    'long=first \\',
    '     second',
    'esc=tab\\there\\u0041\\=x',
    'key\\=with\\:seps=v',
    'a=override',
    'empty=',
  ].join('\n');
  const got = Object.fromEntries(parseProperties(text).map((p) => [p.key, p.value]));
  assert.deepEqual(got, { a: 'override', b: 'two words', c: '3', long: 'first second', esc: 'tab\thereA=x', 'key=with:seps': 'v', empty: '' });
  assert.equal(parseProperties(text).find((p) => p.key === 'c')?.line, 6);
});

test('properties: CRLF files', () => {
  assert.deepEqual(parseProperties('x=1\r\ny=2\r\n').map((p) => [p.key, p.value]), [['x', '1'], ['y', '2']]);
});
