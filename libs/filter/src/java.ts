// Java's string-to-value conversions and comparisons, as RocketMQ's ComparisonExpression uses them
// (Integer.valueOf, Long.valueOf, Double.valueOf, Boolean.valueOf, Double.compareTo). A failed
// conversion is a NumberFormatException in Java, which makes the message "not delivered"; here it
// returns BAD so the evaluator can report 'error' without throwing on the hot path.

/** Conversion failed (Java would throw NumberFormatException). */
export const BAD = Symbol('bad');

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** Where the digits of a Java integer start after its optional sign; -1 for '' or a lone sign. */
function digitsStart(s: string): number {
  if (s.length === 0) return -1;
  const c0 = s.charCodeAt(0);
  if (c0 !== 45 && c0 !== 43) return 0;
  return s.length === 1 ? -1 : 1;
}

/** Integer.valueOf(s): [+-]? then digits (Character.digit accepts any BMP Unicode decimal digit). */
export function javaInt(s: string): number | typeof BAD {
  const n = s.length;
  let i = digitsStart(s);
  if (i < 0) return BAD;
  const neg = i === 1 && s.charCodeAt(0) === 45;
  let v = 0;
  for (; i < n; i++) {
    const d = digit(s.charCodeAt(i));
    if (d < 0) return BAD;
    v = v * 10 + d;
    if (v > 2147483648) return BAD; // exact in a double far beyond this, so the check is precise
  }
  if (neg) v = -v;
  return v > INT_MAX || v < INT_MIN ? BAD : v === 0 ? 0 : v; // `0`, never `-0`: Java ints have no -0
}

/** Long.valueOf(s), as a bigint (exact over the whole long range). */
export function javaLong(s: string): bigint | typeof BAD {
  const n = s.length;
  let i = digitsStart(s);
  if (i < 0) return BAD;
  const neg = i === 1 && s.charCodeAt(0) === 45;
  let ascii = '';
  for (; i < n; i++) {
    const d = digit(s.charCodeAt(i));
    if (d < 0) return BAD;
    ascii += String.fromCharCode(48 + d);
  }
  const v = neg ? -BigInt(ascii) : BigInt(ascii);
  return v > LONG_MAX || v < LONG_MIN ? BAD : v;
}

/** Character.digit(ch, 10) for one UTF-16 unit: 0-9 or -1. */
function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c < 0x660) return -1;
  const ch = String.fromCharCode(c);
  if (!ND.test(ch)) return -1;
  // Unicode lays out decimal digits as aligned runs of ten, zero first: find the run's start.
  let start = c;
  while (start > 0 && ND.test(String.fromCharCode(start - 1))) start--;
  return (c - start) % 10;
}
const ND = /^\p{Nd}$/u;

// Double.valueOf grammar after String.trim(): optional sign, NaN/Infinity, decimal or hex
// significand, optional exponent, optional f/F/d/D type suffix (ignored).
const DEC = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/;

/** Double.valueOf(s). */
export function javaDouble(s: string): number | typeof BAD {
  const t = javaTrim(s);
  if (DEC.test(t)) {
    const last = t.charCodeAt(t.length - 1);
    // f/F/d/D suffix (letters other than those cannot end a valid decimal; 'y' ends Infinity, 'N' NaN)
    return last === 102 || last === 70 || last === 100 || last === 68 ? Number(t.slice(0, -1)) : Number(t);
  }
  const m = HEX.exec(t);
  if (m === null) return BAD;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int.length + frac.length === 0) return BAD;
  const mant = Number(BigInt('0x' + int + frac)); // Number(bigint) rounds to nearest, as Java does
  const v = mant * Math.pow(2, Number(m[4]) - 4 * frac.length);
  return m[1] === '-' ? -v : v;
}

/** String.trim(): strips every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Boolean.valueOf(s): true only for "true", ignoring case. */
export function javaBoolean(s: string): boolean {
  return s.length === 4 && s.toLowerCase() === 'true';
}

/** Double.compare: -0.0 < 0.0, NaN equals itself and is above +Infinity. */
export function compareDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) {
    if (a !== 0) return 0;
    const ia = 1 / a;
    const ib = 1 / b;
    return ia === ib ? 0 : ia < ib ? -1 : 1;
  }
  const na = a !== a;
  const nb = b !== b;
  return na ? (nb ? 0 : 1) : -1;
}

export function compareNum(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
