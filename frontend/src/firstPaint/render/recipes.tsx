/**
 * How each field type is drawn with sentinels (docs/first-paint.md §1): the field and value of
 * each variant, the conditions of the template (`f.required`…) that tell the variants apart, and
 * which rendered text stands for which of the template's expressions. The markup itself always
 * comes from the app's components (templates.tsx renders RecordForm with these fields).
 */
import type { FieldDef, FormDef } from '../../api/types';
import { fileUrl } from '../../fields/files';
import { numberText } from '../../fields/types/number';
import type { Translate } from '../../i18n/I18nProvider';
import { foldRepeat, mergeVariants } from './jinja';

/** Sentinel text: letters only, so React writes it as it is in text and attributes. */
export const S = {
  key: 'ZZfpKEYzz',
  label: 'ZZfpLABELzz',
  help: 'ZZfpHELPzz',
  placeholder: 'ZZfpPLACEHOLDERzz',
  text: 'ZZfpTEXTzz',
  shown: 'ZZfpSHOWNzz',
  shownA: 'ZZfpSHOWNAzz',
  shownB: 'ZZfpSHOWNBzz',
  accept: 'ZZfpACCEPTzz',
} as const;

/** What every field template prints (the test id before the id: it contains it). */
export const COMMON_SENTINELS: Record<string, string> = {
  [`field-${S.key}`]: '{{ f.test_id }}',
  // test ids built from the field's own key, not its path (a sub-form row's cell has the same)
  [`computed-${S.key}`]: 'computed-{{ f.def.key }}',
  [`address-detail-${S.key}`]: 'address-detail-{{ f.def.key }}',
  [S.key]: '{{ f.id }}',
  [S.label]: '{{ f.label }}',
  [S.help]: '{{ f.help }}',
  [S.placeholder]: '{{ f.placeholder }}',
  [S.text]: '{{ f.text }}',
  [S.shown]: '{{ f.shown[0] }}',
};

/** The parts of `f` a type leaves as they are, as the server gives them (cells.py `cell`): tests fill templates with them. */
export const F_DEFAULTS = { shown: [], text: '', checked: false, stars: 0, files: [], prefix: '', suffix: '', place: 'form', columns: [], rows: [] } as const;

/** A condition of the template, and how a variant where it holds differs. */
export type Dim = 'atMax' | 'required' | 'disabled' | 'help' | 'placeholder' | 'empty' | 'checked' | 'current' | 'detail' | 'region' | 'live' | 'full';

export const CONDITIONS: Record<Dim, string> = {
  required: 'f.required',
  disabled: 'f.disabled',
  help: 'f.help',
  placeholder: 'f.placeholder',
  empty: 'f.empty',
  checked: 'f.checked',
  current: "f.def.get('default_current')",
  /** an address with its detail line (the default) */
  detail: "f.def.get('detail') is not sameas false",
  region: 'f.shown',
  /** an upload with as many files as it takes: no upload button */
  atMax: "f.def.get('max_files') is number and f.files|length >= f.def.get('max_files')",
  /** a formula the browser computes as the user types (its formula text parsed by the server): empty shows — */
  live: "f.def.get('formula')",
  /** a rating's star at or below its value */
  full: 'loop.index0 < f.stars',
};

export interface Variant {
  field: Omit<FieldDef, 'key' | 'label'>;
  /** the record's value (API JSON); undefined: none */
  value?: unknown;
  /** the record's `_titles` entry (a relation's title) */
  title?: string;
}

export interface Recipe {
  dims: Dim[];
  variant(on: Set<Dim>): Variant;
  /** two items `S.shownA`, `S.shownB` become `{% for s in f.shown %}` */
  repeat?: boolean;
  /** rendered text → expression, beyond COMMON_SENTINELS (a formatted number, a currency sign) */
  sentinels?: Record<string, string>;
  /** forms a relation targets */
  others?: FormDef[];
  /** the query cache's answers the editor reads (departments' names) */
  queries?: [unknown[], unknown][];
  /** reworks each variant's cell before the variants are folded (a rating's stars into a loop) */
  rework?(cell: string, t: Translate): string;
}

const base = (on: Set<Dim>, type: string, extra: Partial<FieldDef> = {}): Variant['field'] => ({
  type,
  ...(on.has('required') && { required: true }),
  ...(on.has('disabled') && { editable_when: false }),
  ...(on.has('help') && { help: { en: S.help, 'zh-CN': S.help } }),
  ...(on.has('placeholder') && { placeholder: { en: S.placeholder, 'zh-CN': S.placeholder } }),
  ...extra,
});

/** text, textarea and the text patterns: the value is always printed (`f.text`, "" when empty). */
const textRecipe = (type: string): Recipe => ({
  dims: ['required', 'disabled', 'help', 'placeholder'],
  variant: (on) => ({ field: base(on, type), value: S.text }),
});

/** A distinctive number, drawn as each number type's editor draws it. */
const NUMBER = 97531.25;
const numberRecipe = (type: string, extra: Partial<FieldDef>, shown: string, sentinels: Record<string, string> = {}): Recipe => ({
  dims: ['required', 'disabled', 'help', 'placeholder', 'empty'],
  variant: (on) => ({ field: base(on, type, extra), value: on.has('empty') ? undefined : type === 'percent' ? NUMBER / 100 : NUMBER }),
  sentinels: { [`value="${shown}"`]: 'value="{{ f.shown[0] }}"', ...sentinels },
});

const OPTIONS = [
  { value: 'a', label: { en: S.shownA, 'zh-CN': S.shownA } },
  { value: 'b', label: { en: S.shownB, 'zh-CN': S.shownB } },
  { value: 'c', label: { en: S.shown, 'zh-CN': S.shown } },
];

const DATE = '2031-07-19';
const temporalRecipe = (type: string, value: string, shown: string): Recipe => ({
  dims: ['required', 'disabled', 'help', 'placeholder', 'empty'],
  variant: (on) => ({ field: base(on, type), value: on.has('empty') ? undefined : value }),
  sentinels: { [shown]: '{{ f.shown[0] }}' },
});

const DEPARTMENTS: [unknown[], unknown][] = [
  [['fields', 'departments'], { items: [{ id: 'd-a', key: 'a', name: S.shownA }, { id: 'd-b', key: 'b', name: S.shownB }, { id: 'd-c', key: 'c', name: S.shown }] }],
];

/** The server's computed types, as the form draws them on a saved record: the value, or a hint when empty. */
const computedRecipe = (type: string, extra: Partial<FieldDef> = {}, dims: Dim[] = ['help', 'empty']): Recipe => ({
  dims,
  variant: (on) => ({
    field: base(on, type, { ...extra, ...(on.has('live') && { formula: { var: 'x' } as unknown as string }) }),
    value: on.has('empty') ? undefined : S.shown,
  }),
});

/**
 * A rating's stars, drawn with a maximum of 2 and a value of 1 (one full star, one empty): the
 * two folded into one loop over the field's maximum (antd's default 5), full up to `f.stars`.
 */
function starLoop(cell: string): string {
  const first = cell.indexOf('<li ');
  const second = cell.indexOf('<li ', first + 1);
  const end = cell.indexOf('</ul>', second);
  if (first < 0 || second < 0 || end < 0) throw new Error('first paint: a rating without two stars');
  const star = (markup: string, position: number) =>
    markup.replace(`aria-posinset="${position}"`, 'aria-posinset="{{ loop.index }}"').replace('aria-setsize="2"', 'aria-setsize="{{ stars }}"');
  const body = mergeVariants(CONDITIONS.full, star(cell.slice(first, second), 1), star(cell.slice(second, end), 2));
  const count = "{% set stars = f.def.get('max') if f.def.get('max') is number else 5 %}";
  return `${count}${cell.slice(0, first)}{% for _ in range(stars) %}${body}{% endfor %}${cell.slice(end)}`;
}

/**
 * Attachments and images: antd's Upload with the kept files, each named "File n" (the browser
 * knows no other name for a kept file) and linked to its download; two files folded into a loop
 * over `f.files`.
 */
const FILES = ['ZZfpFILEAzz', 'ZZfpFILEBzz'];
const filesRecipe = (type: string): Recipe => ({
  dims: ['required', 'disabled', 'help', 'empty', 'atMax'],
  variant: (on) => ({
    field: base(on, type, { ...(on.has('atMax') && { max_files: 2 }), ...(type === 'attachment' && { accept: [S.accept] }) }),
    value: on.has('empty') ? undefined : FILES,
  }),
  sentinels: { [`accept="${S.accept}"`]: `accept="{{ f.def.get('accept', [])|join(',') }}"` },
  rework: (cell, t) => {
    if (!cell.includes(FILES[1])) return cell;
    const named = cell.split(fileUrl(FILES[0])).join('ZZfpURLAzz').split(fileUrl(FILES[1])).join('ZZfpURLBzz');
    const [first, second] = [t('form.file', { n: 1 }), t('form.file', { n: 2 })];
    if (first.length !== second.length) throw new Error('first paint: "File 1" and "File 2" differ in length');
    return foldRepeat(named.split(first).join('ZZfpFNAMEAzz').split(second).join('ZZfpFNAMEBzz'), [['ZZfpURLAzz', 'ZZfpURLBzz', 'file.url'], ['ZZfpFNAMEAzz', 'ZZfpFNAMEBzz', 'file.name']], 'f.files', 'file');
  },
});

/** A form a relation points at. */
const TARGET: FormDef = { key: 'fp_target', name: { en: 'Target', 'zh-CN': '目标' }, fields: [{ key: 'name', type: 'text', label: { en: 'Name' } }] };

export const RECIPES: Record<string, Recipe> = {
  text: textRecipe('text'),
  textarea: textRecipe('textarea'),
  phone: textRecipe('phone'),
  email: textRecipe('email'),
  url: textRecipe('url'),
  idcard: textRecipe('idcard'),
  number: numberRecipe('number', {}, numberText(NUMBER, undefined, false)),
  money: numberRecipe('money', { currency: 'CNY' }, numberText(NUMBER, 2, true), {
    'ant-input-number-prefix">¥</div>': 'ant-input-number-prefix">{{ f.prefix }}</div>',
  }),
  percent: numberRecipe('percent', {}, numberText(NUMBER, undefined, false), {
    'ant-input-number-suffix">%</div>': 'ant-input-number-suffix">{{ f.suffix }}</div>',
  }),
  select: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'empty'],
    variant: (on) => ({ field: base(on, 'select', { options: OPTIONS }), value: on.has('empty') ? undefined : 'c' }),
  },
  multiselect: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'empty'],
    variant: (on) => ({ field: base(on, 'multiselect', { options: OPTIONS }), value: on.has('empty') ? undefined : ['a', 'b'] }),
    repeat: true,
  },
  date: temporalRecipe('date', DATE, DATE),
  datetime: temporalRecipe('datetime', `${DATE}T08:45:00`, `${DATE} 08:45`),
  time: temporalRecipe('time', '08:45:00', '08:45'),
  checkbox: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'checked'],
    variant: (on) => ({ field: base(on, 'checkbox'), value: on.has('checked') }),
  },
  member: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'current', 'empty'],
    variant: (on) => ({ field: base(on, 'member', { default_current: on.has('current') }), value: on.has('empty') ? undefined : S.shown }),
  },
  members: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'current', 'empty'],
    variant: (on) => ({ field: base(on, 'members', { default_current: on.has('current') }), value: on.has('empty') ? undefined : [S.shownA, S.shownB] }),
    repeat: true,
  },
  department: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'current', 'empty'],
    variant: (on) => ({ field: base(on, 'department', { default_current: on.has('current') }), value: on.has('empty') ? undefined : 'd-c' }),
    queries: DEPARTMENTS,
  },
  rating: {
    dims: ['required', 'disabled', 'help'],
    variant: (on) => ({ field: base(on, 'rating', { max: 2 }), value: 1 }),
    rework: starLoop,
  },
  address: {
    // the region's names joined (`f.shown[0]`) and the detail line (`f.text`, "" when none)
    dims: ['required', 'disabled', 'help', 'detail', 'region'],
    variant: (on) => ({
      field: base(on, 'address', on.has('detail') ? {} : { detail: false }),
      value: { province: on.has('region') ? S.shown : null, detail: S.text },
    }),
  },
  attachment: filesRecipe('attachment'),
  image: filesRecipe('image'),
  formula: computedRecipe('formula', { result_type: 'text' }, ['help', 'live', 'empty']),
  lookup: computedRecipe('lookup'),
  rollup: computedRecipe('rollup'),
  serial: computedRecipe('serial'),
  departments: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'current', 'empty'],
    variant: (on) => ({ field: base(on, 'departments', { default_current: on.has('current') }), value: on.has('empty') ? undefined : ['d-a', 'd-b'] }),
    queries: DEPARTMENTS,
    repeat: true,
  },
  relation: {
    dims: ['required', 'disabled', 'help', 'placeholder', 'empty'],
    variant: (on) => ({ field: base(on, 'relation', { target: TARGET.key }), value: on.has('empty') ? undefined : 'r-1', title: S.shown }),
    others: [TARGET],
  },
};
