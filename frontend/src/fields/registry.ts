import type { ComponentType, ReactNode } from 'react';
import type { Rule } from 'antd/es/form';
import type { FieldDef } from '../api/types';
import type { Translate } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';

/** What the value editor of a condition (the list filter) looks like for a type. */
export type ValueKind = 'text' | 'number' | 'date' | 'datetime' | 'time' | 'option' | 'bool' | 'none';

export interface DisplayContext {
  locale: Locale;
  t: Translate;
  text: (value: Record<string, string> | string | undefined | null) => string;
  /** the related record's title, for relation fields */
  title?: string;
  /** a list cell: one line, no nested tables */
  compact?: boolean;
}

/** What the field frame tells assistive technology about an editor: its errors and help, invalid, required. */
export interface FieldAria {
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  'aria-required'?: boolean;
}

/** Props every editor gets: the form's field frame passes value/onChange/id and the ARIA state. */
export interface FieldInputProps<V = unknown> extends FieldAria {
  field: FieldDef;
  value?: V;
  onChange?: (value: V | null) => void;
  id?: string;
  disabled?: boolean;
}

/** The ARIA props of an editor's props, for the element that takes the focus. */
export function ariaOf(props: FieldAria): FieldAria {
  return { 'aria-describedby': props['aria-describedby'], 'aria-invalid': props['aria-invalid'], 'aria-required': props['aria-required'] };
}

/**
 * How the browser handles one field type. Capabilities are flags with safe defaults; a type
 * implements only what differs (STYLE.md: Baserow's FieldType, kept small).
 */
export interface FieldTypeUI {
  readonly type: string;
  /** The editor; omitted for read-only types (formula, serial, unknown types). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type narrows its own value
  Input?: ComponentType<FieldInputProps<any>>;
  /** A type that renders its own form item(s) instead of one editor (sub-forms: a list of rows). */
  FormItem?: ComponentType<{ field: FieldDef; name: (string | number)[] }>;
  /** A value as read-only text or nodes (list cells, the record page, history diffs). */
  display(value: unknown, field: FieldDef, ctx: DisplayContext): ReactNode;
  /** API JSON -> the editor's value (e.g. an ISO date -> dayjs). Default: as is. */
  toForm?(value: unknown, field: FieldDef): unknown;
  /** The editor's value -> API JSON. Default: as is, '' and undefined become null. */
  toApi?(value: unknown, field: FieldDef): unknown;
  /** What an unfilled editor sends (default null; a sub-form sends no rows: []). */
  blank?: unknown;
  /** Read-only types: why the form can't take a value (shown when it is empty). */
  readOnlyHint?: MessageKey;
  /** Extra client-side checks beyond "required" (the server checks everything again). */
  rules?(field: FieldDef, t: Translate): Rule[];
  /** Spans the whole form width (text areas, sub-forms). */
  wide?: boolean;
  /**
   * The editor is one control as wide as its column and at least antd's control height (an
   * input, a select, a picker, a number): the field frame puts it straight in the control column,
   * without antd's control box and its inner wrapper (two elements fewer per field; what they do,
   * a minimum height with the content centred in it, stretched across, such an editor does itself).
   */
  fills?: boolean;
  /** Column sortable in lists. */
  sortable?: boolean;
  /**
   * The server's capability flags (engines/form/types/base.py FieldType), where the browser must
   * decide as it does (outerReadable). `stored` (default true): the value is kept with the record,
   * not shown from other records (lookup, rollup are not); `computed`: computed on every write
   * (formula); `allocates`: allocated on create (serial); `inChildTable`: the values live in child
   * rows (a sub-form; a relation that holds several records).
   */
  stored?: boolean;
  computed?: boolean;
  allocates?: boolean;
  inChildTable?(field: FieldDef): boolean;
  /** How a condition on this field takes its value; 'none' = not filterable. */
  valueKind: ValueKind;
  /** Width of the list column in pixels. */
  columnWidth?: number;
}

/** The editing half of a type: what only a form needs (the editor, its extra checks). */
export type FieldEditorUI = Pick<FieldTypeUI, 'Input' | 'FormItem' | 'rules' | 'fills'>;

const registry = new Map<string, FieldTypeUI>();

/**
 * Registers a type's display half (fields/display.ts: how values look, sort, filter, convert).
 * Pages that only show values (lists, the record page) load just that half, without the form
 * controls; fields/index.ts adds the editors on top with registerFieldEditor.
 */
export function registerFieldType(type: FieldTypeUI): void {
  if (registry.has(type.type)) throw new Error(`field type already registered: ${type.type}`);
  registry.set(type.type, type);
}

/** Adds the editor of a type whose display half is registered (fields/types/*). */
export function registerFieldEditor(type: string, editor: FieldEditorUI): void {
  const found = registry.get(type);
  if (!found) throw new Error(`unknown field type: ${type}`);
  if (found.Input || found.FormItem) throw new Error(`field editor already registered: ${type}`);
  registry.set(type, { ...found, ...editor });
}

/** Fields of a type this browser doesn't know yet are shown read-only, never dropped. */
let fallback: FieldTypeUI | undefined;
export function setFallbackFieldType(type: FieldTypeUI): void {
  fallback = type;
}

export function fieldType(type: string): FieldTypeUI {
  const found = registry.get(type) ?? fallback;
  if (!found) throw new Error(`unknown field type: ${type}`);
  return found;
}

export function isKnownFieldType(type: string): boolean {
  return registry.has(type);
}

export function fieldTypes(): string[] {
  return [...registry.keys()];
}

export const isEditable = (field: FieldDef): boolean => {
  const type = fieldType(field.type);
  return Boolean(type.Input || type.FormItem);
};

/**
 * A record field a sub-form row's expressions may read (engines/form/types/base.py
 * outer_readable): input the record carries, not computed (a record formula may sum the rows,
 * so a row reading it would be circular), not allocated on create and not in child rows itself.
 * A type this browser doesn't know is not: the server doesn't know it either.
 */
export function outerReadable(field: FieldDef): boolean {
  if (!registry.has(field.type)) return false;
  const type = fieldType(field.type);
  return type.stored !== false && !type.computed && !type.allocates && !type.inChildTable?.(field);
}

export function emptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function toForm(field: FieldDef, value: unknown): unknown {
  const type = fieldType(field.type);
  if (value === null || value === undefined) return undefined;
  return type.toForm ? type.toForm(value, field) : value;
}

export function toApi(field: FieldDef, value: unknown): unknown {
  const type = fieldType(field.type);
  if (value === undefined || value === null || value === '') return type.blank ?? null;
  return type.toApi ? type.toApi(value, field) : value;
}
