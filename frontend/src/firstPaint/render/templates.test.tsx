/**
 * The parity that matters (ADR 0009): a field template filled the way the server fills it
 * (Jinja2, autoescaped, in the project's Python) gives the markup RecordForm itself draws for
 * the same field and value. Each case renders the real form with a field of its own and
 * compares that field's cell with the filled template, element by element.
 */
import { describe, expect, it } from 'vitest';
import type { FieldDef, FormDef, RecordData } from '../../api/types';
import type { Locale } from '../../i18n/locale';
import { appOf, renderForm } from './harness';
import { elementWith } from './jinja';
import { F_DEFAULTS, RECIPES } from './recipes';
import { fieldTemplate } from './templates';
import { fillWithJinja, hasJinja } from '../../../scripts/first-paint.mjs';

/** The same markup as the browser's DOM sees it (entities, attribute quoting and case aside). */
function normalized(html: string): string {
  const box = document.createElement('div');
  box.innerHTML = html;
  return box.innerHTML;
}

interface Case {
  name: string;
  type: string;
  field?: Partial<FieldDef>;
  value?: unknown;
  title?: string;
  /** the field is read-only on this record (editable_when false) */
  locked?: boolean;
  /** the template's context beyond what the field gives (shown, prefix…) */
  f?: Record<string, unknown>;
  queries?: [unknown[], unknown][];
  others?: FormDef[];
}

const LABEL = 'Amount <due> & "paid"';
const TARGET: FormDef = { key: 'fp_target', name: { en: 'Target' }, fields: [{ key: 'name', type: 'text', label: { en: 'Name' } }] };

/** Cases for every type with a template: plain, and with the conditions turned the other way. */
const CASES: Case[] = [
  { name: 'text filled', type: 'text', value: 'Hello & "you"', f: { text: 'Hello & "you"' } },
  { name: 'text required, help, placeholder, empty', type: 'text', field: { required: true, help: { en: 'Say <b>it</b>' }, placeholder: { en: 'Type…' } }, f: { text: '' } },
  { name: 'text locked', type: 'text', value: 'x', locked: true, f: { text: 'x' } },
  { name: 'textarea', type: 'textarea', value: 'one\ntwo', field: { help: { en: 'h' } }, f: { text: 'one\ntwo' } },
  { name: 'phone', type: 'phone', value: '+86 138', field: { required: true }, f: { text: '+86 138' } },
  { name: 'email', type: 'email', value: 'a@b.c', locked: true, f: { text: 'a@b.c' } },
  { name: 'idcard', type: 'idcard', value: '11010519491231002X', f: { text: '11010519491231002X' } },
  { name: 'url', type: 'url', field: { placeholder: { en: 'https://' } }, f: { text: '' } },
  { name: 'number', type: 'number', value: 12.5, field: { required: true }, f: { shown: ['12.5'] } },
  { name: 'number empty', type: 'number', field: { placeholder: { en: 'How many' } }, f: { shown: [] } },
  { name: 'money', type: 'money', value: 1234.5, field: { currency: 'USD' }, f: { shown: ['1,234.50'], prefix: '$' } },
  { name: 'money empty locked', type: 'money', locked: true, f: { shown: [], prefix: '¥' } },
  { name: 'percent', type: 'percent', value: 0.15, f: { shown: ['15'], suffix: '%' } },
  { name: 'select', type: 'select', value: 'b', field: { options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'Bee & co' } }] }, f: { shown: ['Bee & co'] } },
  { name: 'select empty required', type: 'select', field: { required: true, options: [] }, f: { shown: [] } },
  { name: 'select placeholder help', type: 'select', field: { placeholder: { en: 'Pick' }, help: { en: 'h' }, options: [] }, f: { shown: [] } },
  { name: 'multiselect', type: 'multiselect', value: ['a', 'b', 'c'], field: { options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }, { value: 'c', label: { en: 'C"' } }] }, f: { shown: ['A', 'B', 'C"'] } },
  { name: 'multiselect one locked', type: 'multiselect', value: ['a'], locked: true, field: { options: [{ value: 'a', label: { en: 'A' } }] }, f: { shown: ['A'] } },
  { name: 'multiselect empty', type: 'multiselect', field: { options: [] }, f: { shown: [] } },
  { name: 'date', type: 'date', value: '2026-11-25', f: { shown: ['2026-11-25'] } },
  { name: 'date empty', type: 'date', field: { required: true }, f: { shown: [] } },
  { name: 'datetime', type: 'datetime', value: '2026-11-25T09:30:00', locked: true, f: { shown: ['2026-11-25 09:30'] } },
  { name: 'time empty placeholder', type: 'time', field: { placeholder: { en: 'When' } }, f: { shown: [] } },
  { name: 'time', type: 'time', value: '09:30:00', f: { shown: ['09:30'] } },
  { name: 'checkbox checked caption', type: 'checkbox', value: true, field: { placeholder: { en: 'I agree' } }, f: { checked: true } },
  { name: 'checkbox unchecked required locked', type: 'checkbox', value: false, locked: true, field: { required: true }, f: { checked: false } },
  { name: 'member', type: 'member', value: 'u1', queries: [[['users'], { items: [{ id: 'u1', name: 'Li Lei', email: 'li@x.cn' }] }]], f: { shown: ['Li Lei'] } },
  { name: 'member default current', type: 'member', field: { default_current: true }, f: { shown: [] } },
  { name: 'members', type: 'members', value: ['u1', 'u2'], queries: [[['users'], { items: [{ id: 'u1', name: 'Li Lei', email: 'a' }, { id: 'u2', name: '', email: 'b@x.cn' }] }]], f: { shown: ['Li Lei', 'b@x.cn'] } },
  { name: 'department', type: 'department', value: 'd1', queries: [[['fields', 'departments'], { items: [{ id: 'd1', key: 'sales', name: 'Sales' }] }]], f: { shown: ['Sales'] } },
  { name: 'department empty current', type: 'department', field: { default_current: true, required: true }, f: { shown: [] } },
  { name: 'rating', type: 'rating', value: 3, f: { stars: 3 } },
  { name: 'rating of 10 required locked', type: 'rating', value: 0, locked: true, field: { max: 10, required: true, help: { en: 'h' } }, f: { stars: 0 } },
  { name: 'address', type: 'address', value: { province: '33', city: '3301', detail: 'No. 1 <Road>' }, f: { shown: ['33 / 3301'], text: 'No. 1 <Road>' } },
  { name: 'address empty', type: 'address', field: { required: true }, f: { shown: [], text: '' } },
  { name: 'address region only locked', type: 'address', value: { province: '11' }, field: { detail: false }, locked: true, f: { shown: ['11'], text: '' } },
  { name: 'attachments', type: 'attachment', value: ['a1', 'a2', 'a3'], field: { accept: ['.pdf', '.png'] }, f: { files: [1, 2, 3].map((n) => ({ name: `File ${n}`, url: `/api/v1/files/a${n}` })) } },
  { name: 'attachments at max locked', type: 'attachment', value: ['a1'], field: { max_files: 1, required: true }, locked: true, f: { files: [{ name: 'File 1', url: '/api/v1/files/a1' }] } },
  { name: 'attachments empty', type: 'attachment', field: { help: { en: 'PDF only' } }, f: { files: [] } },
  { name: 'images', type: 'image', value: ['i1', 'i2'], field: { max_files: 3 }, f: { files: [1, 2].map((n) => ({ name: `File ${n}`, url: `/api/v1/files/i${n}` })) } },
  { name: 'formula', type: 'formula', value: 'ok', field: { result_type: 'text', formula: 'a' }, f: { shown: ['ok'] } },
  { name: 'formula empty', type: 'formula', field: { result_type: 'text', help: { en: 'h' } }, f: { shown: [] } },
  { name: 'lookup', type: 'lookup', value: 'Hangzhou', f: { shown: ['Hangzhou'] } },
  { name: 'rollup empty', type: 'rollup', f: { shown: [] } },
  { name: 'serial', type: 'serial', value: 'Q-0001', f: { shown: ['Q-0001'] } },
  { name: 'departments', type: 'departments', value: ['d1', 'd2'], queries: [[['fields', 'departments'], { items: [{ id: 'd1', key: 's', name: 'Sales' }, { id: 'd2', key: 'e', name: 'East & West' }] }]], f: { shown: ['Sales', 'East & West'] } },
  { name: 'departments empty', type: 'departments', field: { placeholder: { en: 'Teams' } }, f: { shown: [] } },
  { name: 'relation', type: 'relation', value: 'r9', title: 'ACME <Ltd>', field: { target: TARGET.key }, others: [TARGET], f: { shown: ['ACME <Ltd>'] } },
  { name: 'relation empty', type: 'relation', field: { target: TARGET.key, placeholder: { en: 'Find' } }, others: [TARGET], f: { shown: [] } },
];

const KEY = 'amount';

/** The context the server would give the template for this case (docs/first-paint.md §1). */
function contextOf(one: Case, locale: Locale): Record<string, unknown> {
  const field = one.field ?? {};
  const text = (value: unknown) => (value && typeof value === 'object' ? ((value as Record<string, string>).en ?? '') : '');
  const value = one.value;
  return {
    id: KEY,
    test_id: `field-${KEY}`,
    label: LABEL,
    help: text(field.help),
    placeholder: text(field.placeholder),
    required: Boolean(field.required),
    disabled: Boolean(one.locked),
    empty: value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0),
    ...F_DEFAULTS,
    def: { key: KEY, type: one.type, ...field },
    ...one.f,
    ...(locale === 'zh-CN' && one.f?.files ? { files: (one.f.files as { name: string; url: string }[]).map((file) => ({ ...file, name: file.name.replace('File ', '文件 ') })) } : {}),
  };
}

/** RecordForm's own cell for the case. */
function reactCell(locale: Locale, one: Case): string {
  const field = { key: KEY, type: one.type, label: { en: LABEL }, ...one.field, ...(one.locked && { editable_when: false }) } as FieldDef;
  const record: RecordData = { _id: 'r', _version: 1, _titles: one.title ? { [KEY]: one.title } : {} };
  if (one.value !== undefined) record[KEY] = one.value;
  return elementWith(renderForm(locale, appOf([field], one.others), record, true, one.queries), `data-testid="field-${KEY}"`);
}

describe.skipIf(!hasJinja())('field templates filled by Jinja2 draw what RecordForm draws', () => {
  it.each<Locale>(['en', 'zh-CN'])('for every case of every type with a template (%s)', (locale) => {
    const templates = new Map<string, string>();
    for (const one of CASES) if (!templates.has(one.type)) templates.set(one.type, fieldTemplate(locale, one.type));
    const filled = fillWithJinja(CASES.map((one) => ({ template: templates.get(one.type)!, context: { f: contextOf(one, locale) } })));
    const failed = CASES.filter((one, index) => normalized(filled[index]) !== normalized(reactCell(locale, one)));
    for (const one of failed) expect.soft(normalized(filled[CASES.indexOf(one)]), one.name).toBe(normalized(reactCell(locale, one)));
    expect(failed.map((one) => one.name)).toEqual([]);
    // every type the build writes is exercised here
    expect(Object.keys(RECIPES).filter((type) => !CASES.some((one) => one.type === type))).toEqual([]);
  });
});
