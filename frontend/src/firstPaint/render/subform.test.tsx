/**
 * The sub-form's template filled as the server fills it (Jinja2, autoescaped; each row's cells
 * drawn by their own type's template, `f.place` grid or card, and handed in as markup) draws
 * what RecordForm's sub-form editor draws for the same rows: the grid at a desktop width, the
 * cards at a phone width (the other layout's wrapper left out, as page.css hides it), in both
 * languages.
 */
import { describe, expect, it } from 'vitest';
import type { FieldDef, RecordData } from '../../api/types';
import type { Locale } from '../../i18n/locale';
import { fillWithJinja, hasJinja } from '../../../scripts/first-paint.mjs';
import { appOf, renderForm } from './harness';
import { WIDTHS } from './page';
import { F_DEFAULTS } from './recipes';
import { laidOutCell } from './subform';
import { fieldTemplate } from './templates';

const OPTIONS = [{ value: 'a', label: { en: 'Apples & <pears>' } }];
const SUBS: FieldDef[] = [
  { key: 'item', type: 'text', label: { en: 'Item "name"' }, required: true, help: { en: 'What it is' } },
  { key: 'qty', type: 'number', label: { en: 'Qty' } },
  { key: 'kind', type: 'select', label: { en: 'Kind' }, options: OPTIONS },
  { key: 'price', type: 'money', label: { en: 'Price' }, required: true },
  { key: 'due', type: 'date', label: { en: 'Due' }, placeholder: { en: 'When' } },
  { key: 'paid', type: 'checkbox', label: { en: 'Paid' } },
] as FieldDef[];

interface Case {
  name: string;
  field: Partial<FieldDef>;
  rows?: Record<string, unknown>[];
  /** each row's cells' `f` beyond the common part (what the server shows for the value) */
  shown?: Record<string, unknown>[][];
}

const CASES: Case[] = [
  {
    name: 'two rows, required, help',
    field: { required: true, help: { en: 'Lines <of> the order' } },
    rows: [{ item: 'Tea & cake', qty: 1234.5, kind: 'a', price: 1234.5, due: '2026-11-25', paid: true }, { item: '' }],
    shown: [
      [{ text: 'Tea & cake' }, { shown: ['1234.5'] }, { shown: ['Apples & <pears>'] }, { shown: ['1,234.50'], prefix: '¥' }, { shown: ['2026-11-25'], placeholder: 'When' }, { checked: true }],
      [{ text: '' }, { shown: [], empty: true }, { shown: [], empty: true }, { shown: [], empty: true, prefix: '¥' }, { empty: true, placeholder: 'When' }, {}],
    ],
  },
  { name: 'no rows', field: {} },
  { name: 'no rows, locked', field: { editable_when: false as unknown as string }, rows: [] },
  {
    name: 'a row, locked',
    field: { editable_when: false as unknown as string },
    rows: [{ item: 'x', qty: 2 }],
    shown: [[{ text: 'x' }, { shown: ['2'] }, { shown: [], empty: true }, { shown: [], empty: true, prefix: '¥' }, { empty: true, placeholder: 'When' }, {}]],
  },
];

const KEY = 'lines';

function base(sub: FieldDef, row: number, place: 'grid' | 'card', disabled: boolean): Record<string, unknown> {
  const en = (value: unknown) => (value && typeof value === 'object' ? ((value as Record<string, string>).en ?? '') : '');
  const path = `${KEY}_${row}_${sub.key}`;
  return {
    id: path,
    test_id: `field-${row}.${sub.key}`,
    label: en(sub.label),
    help: place === 'grid' ? '' : en(sub.help),
    placeholder: '',
    required: Boolean(sub.required),
    disabled,
    empty: false,
    ...F_DEFAULTS,
    place,
    def: sub,
  };
}

/** The filled template of the case, as the server fills it. */
function filled(one: Case, templates: Map<string, string>): string {
  const disabled = Boolean(one.field.editable_when === (false as unknown));
  const rows = (one.rows ?? []).map((_, row) => {
    const cells = (place: 'grid' | 'card') =>
      fillWithJinja(SUBS.map((sub, column) => ({ template: templates.get(sub.type)!, context: { f: { ...base(sub, row, place, disabled), ...one.shown?.[row]?.[column] } } })));
    return { grid: cells('grid'), card: cells('card') };
  });
  const f = {
    ...base({ key: KEY, type: 'subform', label: { en: 'Order lines' }, ...one.field } as FieldDef, 0, 'grid', disabled),
    id: KEY,
    test_id: `field-${KEY}`,
    help: one.field.help ? 'Lines <of> the order' : '',
    place: 'form',
    empty: rows.length === 0,
    columns: SUBS.map((sub) => ({ label: (sub.label as Record<string, string>).en, required: Boolean(sub.required), def: sub })),
    rows,
  };
  return fillWithJinja([{ template: templates.get('subform')!, context: { f } }])[0];
}

/** RecordForm's own sub-form cell at a width. */
function react(locale: Locale, one: Case, width: number): string {
  const field = { key: KEY, type: 'subform', label: { en: 'Order lines' }, fields: SUBS, ...one.field } as FieldDef;
  const record: RecordData = { _id: 'r', _version: 1 };
  if (one.rows) record[KEY] = one.rows;
  const before = window.innerWidth;
  window.innerWidth = width;
  try {
    return laidOutCell(renderForm(locale, appOf([field]), record), `field-${KEY}`);
  } finally {
    window.innerWidth = before;
  }
}

/** The markup as one layout shows it (the other's wrapper gone, this one's unwrapped). */
function shownAt(html: string, layout: 'desktop' | 'phone'): string {
  const box = document.createElement('div');
  box.innerHTML = html;
  box.querySelectorAll(layout === 'desktop' ? '.fp-phone' : '.fp-desktop').forEach((element) => element.remove());
  box.querySelectorAll(layout === 'desktop' ? '.fp-desktop' : '.fp-phone').forEach((element) => element.replaceWith(...element.childNodes));
  box.normalize();
  return box.innerHTML;
}

function normalized(html: string): string {
  const box = document.createElement('div');
  box.innerHTML = html;
  box.normalize();
  return box.innerHTML;
}

describe.skipIf(!hasJinja())('the sub-form template filled by Jinja2 draws what RecordForm draws', () => {
  it.each<Locale>(['en', 'zh-CN'])('grid and cards, rows and none (%s)', (locale) => {
    const templates = new Map(['subform', ...SUBS.map((sub) => sub.type)].map((type) => [type, fieldTemplate(locale, type)]));
    for (const one of CASES) {
      const html = filled(one, templates);
      expect.soft(shownAt(html, 'desktop'), `${one.name}, desktop`).toBe(normalized(react(locale, one, WIDTHS.desktop)));
      expect.soft(shownAt(html, 'phone'), `${one.name}, phone`).toBe(normalized(react(locale, one, WIDTHS.phone)));
    }
  });
});
