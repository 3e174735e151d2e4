// The regular-expression subset of `regex_match`, ported from engines/rules/expr/safe_regex.py:
// the same checks and the same canonical rewrite, so RE2 (server), RegExp (here) and Postgres
// read a pattern alike. Refused: back-references, look-around, named groups, flags, \b, POSIX
// classes, and a repeated group that itself repeats (`(a+)+`, catastrophic in RegExp).

const MAX_PATTERN = 200;
const MAX_REPEAT = 1000;
const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009' +
  '\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const SPACE = Array.from(JS_WHITESPACE)
  .filter((ch) => ch !== '\n' && ch !== '\r' && ch !== '\t')
  .join('');
const CLASSES: Record<string, string> = {
  d: '0-9',
  w: '0-9A-Za-z_',
  s: '\\t\\n\\r' + SPACE,
};
const NOT_LINE = '\\n\\r\u2028\u2029';
const META_ESCAPES = new Set('\\.^$|?*+()[]{}/-');
const CONTROL_ESCAPES: Record<string, string> = { n: '\\n', t: '\\t', r: '\\r' };

export class UnsafePattern extends Error {}

export function canonical(pattern: string): string {
  if (pattern.length > MAX_PATTERN) {
    throw new UnsafePattern(`pattern longer than ${MAX_PATTERN} characters`);
  }
  const out: string[] = [];
  const groups: boolean[] = [false];
  let i = 0;
  let canRepeat = false;
  let lastGroupRepeats = false;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '\\') {
      const [token, next] = escape(pattern, i, false);
      out.push(token);
      i = next;
      canRepeat = true;
      lastGroupRepeats = false;
    } else if (ch === '[') {
      const [token, next] = charClass(pattern, i);
      out.push(token);
      i = next;
      canRepeat = true;
      lastGroupRepeats = false;
    } else if (ch === '(') {
      if (pattern.startsWith('(?:', i)) {
        out.push('(?:');
        i += 3;
      } else if (pattern.startsWith('(?', i)) {
        throw new UnsafePattern('look-around, named groups and flags are not supported');
      } else {
        out.push('(');
        i += 1;
      }
      groups.push(false);
      canRepeat = false;
    } else if (ch === ')') {
      if (groups.length === 1) throw new UnsafePattern("unbalanced ')'");
      const inner = groups.pop() as boolean;
      if (inner) groups[groups.length - 1] = true;
      out.push(')');
      i += 1;
      canRepeat = true;
      lastGroupRepeats = inner;
    } else if ('*+?{'.includes(ch)) {
      if (!canRepeat) throw new UnsafePattern(`nothing to repeat at ${i}`);
      if (lastGroupRepeats) {
        throw new UnsafePattern('a repeated group may not contain a repetition: (a+)+');
      }
      const [token, next] = quantifier(pattern, i);
      out.push(token);
      i = next;
      groups[groups.length - 1] = true;
      canRepeat = false;
    } else if (ch === '|' || ch === '^' || ch === '$') {
      out.push(ch);
      i += 1;
      canRepeat = false;
    } else {
      if (ch === '.') out.push(`[^${NOT_LINE}]`);
      else if (ch === ']' || ch === '}') out.push('\\' + ch);
      else out.push(ch);
      i += 1;
      canRepeat = true;
      lastGroupRepeats = false;
    }
  }
  if (groups.length !== 1) throw new UnsafePattern("unbalanced '('");
  return out.join('');
}

function escape(pattern: string, i: number, inClass: boolean): [string, number] {
  if (i + 1 >= pattern.length) throw new UnsafePattern("pattern ends with '\\'");
  const ch = pattern[i + 1];
  const lower = ch.toLowerCase();
  if (lower in CLASSES) {
    const body = CLASSES[lower];
    if (ch !== lower) {
      if (inClass) throw new UnsafePattern(`\\${ch} inside [...] is not supported`);
      return [`[^${body}]`, i + 2];
    }
    return [inClass ? body : `[${body}]`, i + 2];
  }
  if (ch in CONTROL_ESCAPES) return [CONTROL_ESCAPES[ch], i + 2];
  if (META_ESCAPES.has(ch)) return ['\\' + ch, i + 2];
  throw new UnsafePattern(`unsupported escape \\${ch}`);
}

function charClass(pattern: string, start: number): [string, number] {
  const out = ['['];
  let i = start + 1;
  if (pattern[i] === '^') {
    out.push('^');
    i += 1;
  }
  let first = true;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === ']' && !first) {
      out.push(']');
      return [out.join(''), i + 1];
    }
    if (ch === '\\') {
      const [token, next] = escape(pattern, i, true);
      out.push(token);
      i = next;
    } else if (ch === '[') {
      throw new UnsafePattern("'[' inside [...] must be escaped");
    } else if (ch === ']') {
      out.push('\\]');
      i += 1;
    } else {
      out.push(ch);
      i += 1;
    }
    first = false;
  }
  throw new UnsafePattern('unterminated [...]');
}

function quantifier(pattern: string, i: number): [string, number] {
  let token: string;
  if (pattern[i] === '{') {
    const end = pattern.indexOf('}', i);
    const body = end > 0 ? pattern.slice(i + 1, end) : '';
    const comma = body.indexOf(',');
    const low = comma < 0 ? body : body.slice(0, comma);
    const high = comma < 0 ? '' : body.slice(comma + 1);
    if (end < 0 || !/^\d+$/.test(low) || (high && !/^\d+$/.test(high))) {
      throw new UnsafePattern('malformed {m,n}');
    }
    if (Number(low) > MAX_REPEAT || (high && Number(high) > MAX_REPEAT)) {
      throw new UnsafePattern(`repeat counts above ${MAX_REPEAT} are not supported`);
    }
    if (high && Number(high) < Number(low)) throw new UnsafePattern('{m,n} with n < m');
    token = `{${body}}`;
    i = end + 1;
  } else {
    token = pattern[i];
    i += 1;
  }
  if (pattern[i] === '?') {
    token += '?';
    i += 1;
  }
  return [token, i];
}

const compiled = new Map<string, RegExp | null>();

/** true/false, or null when the pattern is outside the subset. */
export function search(pattern: string, text: string): boolean | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(canonical(pattern));
    } catch {
      regex = null;
    }
    if (compiled.size > 512) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex === null ? null : regex.test(text);
}
