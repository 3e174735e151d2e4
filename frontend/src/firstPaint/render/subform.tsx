/**
 * The sub-form's template (ADR 0009, docs/first-paint.md §1 "Sub-forms"), drawn by the app's own
 * sub-form editor (fields/types/subform.tsx): RecordForm renders a sub-form of three text columns
 * (the first required) with two rows, and without rows, at a desktop width (the grid) and at a
 * phone width (one card per row), for each variant of the sub-form itself (required, disabled,
 * help). Each row's cells are cut out and become `{{ c }}`: the server draws them with their own
 * type's template (one renderer) and hands them in as markup, `row.grid` bare for the grid,
 * `row.card` for the cards. The grid and the cards both go in the template, each in the wrapper
 * page.css shows at its width (`fp-desktop`, `fp-phone`); their cells' ids differ by prefix.
 */
import type { FieldDef, RecordData } from '../../api/types';
import { fieldType } from '../../fields/registry';
import { format } from '../../i18n/I18nProvider';
import { loadedLanguage } from '../../i18n/languages';
import type { Locale } from '../../i18n/locale';
import { appOf, renderForm, type StyleCache } from './harness';
import { elementWith, mergeVariants, replaceSentinels } from './jinja';
import { WIDTHS } from './page';
import { COMMON_SENTINELS, CONDITIONS, RECIPES, S, type Dim } from './recipes';

const COLUMNS = ['ca', 'cb', 'cc'] as const;
const COLUMN_LABELS = ['ZZfpCOLAzz', 'ZZfpCOLBzz', 'ZZfpCOLCzz'] as const;
/** where a row's cell was, before it becomes `{{ c }}` */
const CELL = 'ZZfpCELLzz';
const ROWS = 2;
export const SUBFORM_DIMS: Dim[] = ['required', 'disabled', 'help', 'empty'];

const keyOf = (on: Set<Dim>) => `${S.key}${SUBFORM_DIMS.map((dim) => (on.has(dim) ? '1' : '0')).join('')}`;

function subsets(dims: Dim[]): Set<Dim>[] {
  return Array.from({ length: 2 ** dims.length }, (_, mask) => new Set(dims.filter((_, i) => mask & (2 ** i))));
}

/** The element of tag `tag` around the first occurrence of `marker`. */
function around(markup: string, marker: string, tag: string): string {
  const at = markup.indexOf(marker);
  const start = markup.lastIndexOf(`<${tag}`, at);
  if (at < 0 || start < 0) throw new Error(`first paint: no <${tag}> around ${marker}`);
  return elementWith(markup.slice(start), `<${tag}`);
}

/** Each `item` in turn, found one after the other in `markup`, replaced by what `by` gives for it. */
function replaceRun(markup: string, items: string[], by: string): string {
  const run = items.join('');
  if (!markup.includes(run)) throw new Error('first paint: the sub-form\'s items are not side by side');
  return markup.replace(run, () => by);
}

/**
 * Desktop: the grid. The header's column cells and the colgroup's columns become loops over
 * `f.columns`, the rows one over `f.rows` (its number and row key from the loop), the cells in
 * a row one over `row.grid`.
 */
function gridOf(grid: string, rows: number, widths: string): string {
  const heads = COLUMN_LABELS.map((label) => around(grid, label, 'th'));
  if (heads[1].replace(COLUMN_LABELS[1], COLUMN_LABELS[2]) !== heads[2]) throw new Error('first paint: two plain columns differ');
  const head = mergeVariants('col.required', heads[0].replace(COLUMN_LABELS[0], '{{ col.label }}'), heads[1].replace(COLUMN_LABELS[1], '{{ col.label }}'));
  let out = replaceRun(grid, heads, `{% for col in f.columns %}${head}{% endfor %}`);
  // the columns' widths: the number column, one per sub-field (its type's columnWidth), the actions'
  const colgroup = elementWith(out, '<colgroup');
  const cols = colgroup.match(/<col\b[^>]*>/g)!;
  const width = /^<col style="width:(\d+)px"\/>$/.exec(cols[1]);
  if (cols.length !== COLUMNS.length + 2 || !width || cols[1] !== cols[2] || cols[2] !== cols[3]) throw new Error('first paint: the sub-form\'s columns are not as expected');
  const col = `{% set width = ${widths}.get(col.def.type) %}{% if width %}${cols[1].replace(width[1], '{{ width }}')}{% else %}<col/>{% endif %}`;
  out = out.replace(colgroup, colgroup.replace(cols.slice(1, -1).join(''), `{% for col in f.columns %}${col}{% endfor %}`));
  if (rows === 0) {
    const placeholder = around(out, 'ant-table-placeholder', 'tr');
    const span = `colSpan="${COLUMNS.length + 2}"`;
    if (!placeholder.includes(span)) throw new Error('first paint: the empty grid spans no columns');
    return out.replace(placeholder, placeholder.replace(span, 'colSpan="{{ f.columns|length + 2 }}"'));
  }
  const items = Array.from({ length: rows }, (_, index) => elementWith(out, `data-row-key="${index}"`));
  const rowOf = (tr: string, index: number) => {
    const cells = Array.from({ length: COLUMNS.length }, () => `<td class="ant-table-cell">${CELL}</td>`);
    const number = `<td class="ant-table-cell">${index + 1}</td>`;
    if (!tr.includes(number)) throw new Error('first paint: a grid row without its number');
    return replaceRun(tr.replace(`data-row-key="${index}"`, 'data-row-key="{{ loop.index0 }}"').replace(number, '<td class="ant-table-cell">{{ loop.index }}</td>'), cells, '{% for c in row.grid %}<td class="ant-table-cell">{{ c }}</td>{% endfor %}');
  };
  const row = rowOf(items[0], 0);
  if (items.some((item, index) => rowOf(item, index) !== row)) throw new Error('first paint: the grid\'s rows differ');
  return replaceRun(out, items, `{% for row in f.rows %}${row}{% endfor %}`);
}

/** Phone: one card per row, titled by its number, its cells one after the other (`row.card`). */
function cardsOf(cards: string, rows: number, title: (n: number | string) => string): string {
  const items: string[] = [];
  let at = cards.indexOf('>') + 1;
  for (let index = 0; index < rows; index += 1) {
    items.push(elementWith(cards.slice(at), '<div'));
    at += items[index].length;
  }
  const cardOf = (card: string, index: number) => {
    const heading = `>${title(index + 1)}<`;
    if (!card.includes(heading)) throw new Error('first paint: a row\'s card without its title');
    return replaceRun(card.replace(heading, `>${title('{{ loop.index }}')}<`), Array.from({ length: COLUMNS.length }, () => CELL), '{% for c in row.card %}{{ c }}{% endfor %}');
  };
  const card = cardOf(items[0], 0);
  if (items.some((item, index) => cardOf(item, index) !== card)) throw new Error('first paint: the rows\' cards differ');
  return replaceRun(cards, items, `{% for row in f.rows %}${card}{% endfor %}`);
}

/**
 * The sub-form's cell as the form lays it out: RecordForm gives a field its grid cell's classes
 * (`record-form__cell--wide`), which FieldItem puts on a wrapper around a type that draws its
 * own frame (FormItem, as the sub-form does): the cell with that wrapper when there is one.
 */
export function laidOutCell(markup: string, testId: string): string {
  const cell = elementWith(markup, `data-testid="${testId}"`);
  const at = markup.indexOf(cell);
  const start = markup.lastIndexOf('<', at - 1);
  const wrapper = start >= 0 ? elementWith(markup.slice(start), markup.slice(start, at)) : '';
  const open = markup.slice(start, at);
  return /^<div class="[^"]*"\s*>$/.test(open) && wrapper === `${open}${cell}</div>` ? wrapper : cell;
}

/** The sub-form's cell of each variant at one width, its rows' cells cut out. */
function cellsAt(locale: Locale, width: number, styles?: StyleCache): Map<string, string> {
  const before = window.innerWidth;
  window.innerWidth = width;
  try {
    const fields: FieldDef[] = [];
    const record: RecordData = { _id: 'fp-record', _version: 1 };
    for (const on of subsets(SUBFORM_DIMS)) {
      const key = keyOf(on);
      fields.push({
        key,
        type: 'subform',
        label: { en: S.label, 'zh-CN': S.label },
        ...(on.has('required') && { required: true }),
        ...(on.has('disabled') && { editable_when: false }),
        ...(on.has('help') && { help: { en: S.help, 'zh-CN': S.help } }),
        fields: COLUMNS.map((column, index) => ({ key: column, type: 'text', label: { en: COLUMN_LABELS[index], 'zh-CN': COLUMN_LABELS[index] }, ...(index === 0 && { required: true }) })),
      } as FieldDef);
      if (!on.has('empty')) record[key] = Array.from({ length: ROWS }, (_, row) => Object.fromEntries(COLUMNS.map((column) => [column, `${column}${row}`])));
    }
    const markup = renderForm(locale, appOf(fields), record, true, [], styles);
    const cells = new Map<string, string>();
    for (const on of subsets(SUBFORM_DIMS)) {
      const key = keyOf(on);
      let cell = laidOutCell(markup, `field-${key}`);
      for (let row = 0; row < (on.has('empty') ? 0 : ROWS); row += 1) {
        for (const column of COLUMNS) cell = cell.replace(elementWith(cell, `data-testid="field-${row}.${column}"`), CELL);
      }
      cells.set(key, cell.split(key).join(S.key));
    }
    return cells;
  } finally {
    window.innerWidth = before;
  }
}

/** The types' column widths (registry `columnWidth`) as a Jinja dict literal. */
function widthTable(): string {
  const widths: Record<string, number> = {};
  for (const type of Object.keys(RECIPES)) {
    const width = fieldType(type).columnWidth;
    if (width !== undefined) widths[type] = width;
  }
  return JSON.stringify(widths);
}

/**
 * The grid (desktop) and the cards (phone) of one variant side by side, each in its layout's
 * wrapper; the rest of the cell (label, help, the add button) is the same at both widths.
 */
function bothLayouts(desktop: string, phone: string, rows: number, widths: string, title: (n: number | string) => string): string {
  const grid = elementWith(desktop, 'subform__grid');
  const cards = elementWith(phone, rows === 0 ? 'ant-typography-secondary' : 'class="subform__cards"');
  if (desktop.replace(grid, '') !== phone.replace(cards, '')) throw new Error('first paint: the sub-form differs between widths beyond its rows');
  const drawnCards = rows === 0 ? cards : cardsOf(cards, rows, title);
  return desktop.replace(grid, () => `<div class="fp-desktop">${gridOf(grid, rows, widths)}</div><div class="fp-phone">${drawnCards}</div>`);
}

/** The sub-form's template in one language. */
export function subformTemplate(locale: Locale, styles?: StyleCache): string {
  const messages = loadedLanguage(locale)!.messages;
  const title = (n: number | string) => format(messages['form.row'], { n });
  const widths = widthTable();
  const desktop = cellsAt(locale, WIDTHS.desktop, styles);
  const phone = cellsAt(locale, WIDTHS.phone, styles);
  const variants = new Map<string, string>();
  for (const on of subsets(SUBFORM_DIMS)) {
    const key = keyOf(on);
    variants.set(key, bothLayouts(desktop.get(key)!, phone.get(key)!, on.has('empty') ? 0 : ROWS, widths, title));
  }
  const fold = (on: Set<Dim>, depth: number): string => {
    if (depth === SUBFORM_DIMS.length) return variants.get(keyOf(on))!;
    const dim = SUBFORM_DIMS[depth];
    return mergeVariants(CONDITIONS[dim], fold(new Set([...on, dim]), depth + 1), fold(on, depth + 1));
  };
  const template = replaceSentinels(fold(new Set(), 0), COMMON_SENTINELS);
  if (template.includes('ZZfp')) throw new Error('first paint: a sentinel left in the sub-form');
  return template;
}
