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
  assert.deepEqual(
    parseProperties('x=1\r\ny=2\r\n').map((p) => [p.key, p.value]),
    [
      ['x', '1'],
      ['y', '2'],
    ],
  );
});

test('properties: lone-CR line ends, continuations across them, trailing tabs dropped like spaces', () => {
  // dot-properties 1.1.2 fails both: 'a\r   b' and 'v\t' (see src/properties.ts).
  assert.deepEqual(
    parseProperties('x=a\\\r   b\ry=2').map((p) => [p.key, p.value, p.line]),
    [
      ['x', 'ab', 1],
      ['y', '2', 3],
    ],
  );
  assert.deepEqual(
    parseProperties('k=v\t\n').map((p) => [p.key, p.value]),
    [['k', 'v']],
  );
});
