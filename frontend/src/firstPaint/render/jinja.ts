/**
 * From rendered markup to Jinja2 (ADR 0009, docs/first-paint.md): the build renders the app's
 * components with sentinel values and with each variant of a field (required or not, disabled
 * or not…); these functions cut one field's cell out of a form's markup, fold the variants into
 * `{% if %}` blocks where they differ, fold repeated items into a `{% for %}`, and put the
 * template's expressions where the sentinels were. Nothing here knows antd's markup: a change
 * in a component changes the template with it.
 */

/** The HTML elements with no end tag (React writes them `<input …/>`). */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Tags, Jinja blocks and the text between them. */
const TOKEN = /(<[^>]*>|\{%[\s\S]*?%\})/;

export function tokens(markup: string): string[] {
  return markup.split(TOKEN).filter((token) => token !== '');
}

/** An element's tag name from its start tag, or null for an end tag, a comment or text. */
function startTag(token: string): string | null {
  const match = /^<([a-zA-Z][\w-]*)/.exec(token);
  return match ? match[1].toLowerCase() : null;
}

export const opens = (token: string) => {
  const name = startTag(token);
  return name !== null && !VOID.has(name) && !token.endsWith('/>');
};
export const closes = (token: string) => token.startsWith('</');

/**
 * The whole element (start tag to its end tag) whose start tag holds `marker` (an attribute,
 * `data-testid="field-x"`), out of React's markup; throws when there is none.
 */
export function elementWith(markup: string, marker: string): string {
  const at = markup.indexOf(marker);
  if (at < 0) throw new Error(`first paint: no element with ${marker}`);
  const start = markup.lastIndexOf('<', at);
  let depth = 0;
  let position = start;
  for (const token of tokens(markup.slice(start))) {
    position += token.length;
    if (opens(token)) depth += 1;
    else if (closes(token)) depth -= 1;
    if (depth === 0) return markup.slice(start, position);
  }
  throw new Error(`first paint: the element with ${marker} has no end`);
}

/** A Jinja block's keyword (`if`, `endfor`…), or undefined for anything else. */
const blockOf = (token: string) => /^\{%-?\s*(\w+)/.exec(token)?.[1];

/** Whether a piece of markup opens and closes its elements and Jinja blocks in order. */
export function balanced(parts: string[]): boolean {
  const stack: string[] = [];
  for (const token of parts) {
    const block = blockOf(token);
    if (block === 'if' || block === 'for') stack.push(block);
    else if (block === 'endif' || block === 'endfor') {
      if (stack.pop() !== block.slice(3)) return false;
    } else if (opens(token)) stack.push('<');
    else if (closes(token) && stack.pop() !== '<') return false;
  }
  return stack.length === 0;
}

/**
 * The pieces two variants are compared in: a tag's name, each attribute, its end; a word of
 * text; a printed expression; a whole Jinja block (`{% if %}…{% endif %}`, nested ones in it).
 * So a difference of one attribute becomes a branch inside the tag, and a branch never cuts a
 * block in two (the template stays valid Jinja).
 */
const PIECE = /(\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|<\/?[a-zA-Z][\w-]*|\s+[^\s=<>{]+(?:="[^"]*")?|\/?>)/;

export function pieces(markup: string): string[] {
  const out: string[] = [];
  let open = '';
  let depth = 0;
  for (const piece of markup.split(PIECE)) {
    if (piece === '') continue;
    const block = blockOf(piece);
    if (block === 'if' || block === 'for') depth += 1;
    if (depth > 0) open += piece;
    else out.push(piece);
    if (block === 'endif' || block === 'endfor') {
      depth -= 1;
      if (depth === 0) {
        out.push(open);
        open = '';
      }
    }
  }
  if (depth !== 0) throw new Error('first paint: a Jinja block is not closed');
  return out;
}

/** The longest common subsequence of two token lists, as pairs of indexes. */
export function common(a: string[], b: string[]): [number, number][] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1] + 1 : Math.max(table[(i + 1) * cols + j], table[i * cols + j + 1]);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i += 1;
      j += 1;
    } else if (table[(i + 1) * cols + j] >= table[i * cols + j + 1]) i += 1;
    else j += 1;
  }
  return pairs;
}

/** `{% if condition %}yes{% else %}no{% endif %}`, leaving out an empty side. */
export function branch(condition: string, yes: string, no: string): string {
  if (yes === no) return yes;
  if (no === '') return `{% if ${condition} %}${yes}{% endif %}`;
  if (yes === '') return `{% if not (${condition}) %}${no}{% endif %}`;
  return `{% if ${condition} %}${yes}{% else %}${no}{% endif %}`;
}

/**
 * One template that gives `yes` where `condition` holds and `no` where it does not: what the two
 * have in common once, each place they differ as a branch (pieces: never inside a Jinja block).
 */
export function mergeVariants(condition: string, yes: string, no: string): string {
  if (yes === no) return yes;
  return diffPieces(yes, no)
    .map((part) => (typeof part === 'string' ? part : branch(condition, part.yes.join(''), part.no.join(''))))
    .join('');
}

/**
 * Folds two consecutive items (the same markup but for their sentinels: each pair's `first` in
 * the first item, `second` in the second, of equal length) into `{% for name in list %}…{% endfor %}`,
 * each sentinel becoming its expression (`{{ name }}`, `{{ name.url }}`): a multiple select's
 * chosen labels, an upload's files.
 */
export function foldRepeat(markup: string, pairs: [first: string, second: string, expression: string][], loop: string, name: string): string {
  for (const [first, second] of pairs) if (first.length !== second.length) throw new Error('first paint: repeat sentinels differ in length');
  const [first, second] = pairs[0];
  const i = markup.indexOf(first);
  const j = markup.indexOf(second);
  if (i < 0 || j < i) throw new Error(`first paint: no repeat of ${first}, ${second}`);
  const period = j - i;
  const swap = (item: string) => pairs.reduce((out, [a, b]) => out.split(a).join(b), item);
  for (let start = markup.lastIndexOf('<', i); start >= 0; start = markup.lastIndexOf('<', start - 1)) {
    const item = markup.slice(start, start + period);
    const next = markup.slice(start + period, start + 2 * period);
    if (swap(item) === next && balanced(tokens(item))) {
      const body = pairs.reduce((out, [a, , expression]) => out.split(a).join(`{{ ${expression} }}`), item);
      return `${markup.slice(0, start)}{% for ${name} in ${loop} %}${body}{% endfor %}${markup.slice(start + 2 * period)}`;
    }
  }
  throw new Error(`first paint: ${first} and ${second} are not one item repeated`);
}

/** Puts each sentinel's expression in its place (longest sentinel first: one may contain another). */
export function replaceSentinels(markup: string, sentinels: Record<string, string>): string {
  let out = markup;
  for (const [sentinel, expression] of Object.entries(sentinels).sort(([a], [b]) => b.length - a.length)) {
    out = out.split(sentinel).join(expression);
  }
  return out;
}

/** A difference between two pieces of markup: what each side has there. */
export interface Hunk {
  yes: string[];
  no: string[];
}

/** The two sides' pieces as runs in common and hunks where they differ (in order). */
export function diffPieces(yes: string, no: string): (string | Hunk)[] {
  const a = pieces(yes);
  const b = pieces(no);
  const out: (string | Hunk)[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...common(a, b), [a.length, b.length] as [number, number]]) {
    if (pi > i || pj > j) out.push({ yes: a.slice(i, pi), no: b.slice(j, pj) });
    if (pi < a.length) out.push(a[pi]);
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}
