/**
 * The record form takes the server-drawn first paint over (ADR 0009, docs/first-paint.md §3):
 * what was typed into it becomes the form's values, as a person's edit (the unsaved-changes
 * guard and the draft see it), the first paint goes, and the focus and caret come back to the
 * same field in the app's form. All of it in one layout effect of the form's first commit,
 * before the browser paints: the person sees the same page, now the app's.
 */
import { useLayoutEffect } from 'react';
import type { FieldDef } from '../../api/types';
import { TEXT_PATTERNS } from '../../fields/display/text';
import type { CaptureWindow, CapturedFocus } from './capture';
import { FIRST_PAINT_ID, handOver } from './handOff';

type Path = (string | number)[];

/** What the take-over needs of the form: antd's FormInstance.setFieldValue. */
export interface TakeOverForm {
  setFieldValue: (name: Path, value: unknown) => void;
}

/**
 * The first paint's ids are the app's with a prefix (they coexist for a moment): `fp-`, and
 * `fpm-` on a sub-form's phone cards (the grid's cells, drawn beside them, have `fp-`).
 */
const ID_PREFIXES = ['fp-', 'fpm-'];

/** The app's id of a first paint's element id (`fpm-items_1_qty` → `items_1_qty`). */
const appId = (id: string) => id.slice(ID_PREFIXES.find((prefix) => id.startsWith(prefix))?.length ?? 0);
const FIELD_CELL = '[data-testid^="field-"]';

const PATTERN_TYPES = new Set(TEXT_PATTERNS.map((spec) => spec.type));
const NUMBER_TYPES = new Set(['number', 'money', 'percent']);

/**
 * The field's name path from the test ids of the cells around `element`: `field-title` →
 * ['title'], `field-items.1.qty` → ['items', 1, 'qty']. A sub-form row's cell drawn as the app
 * draws it (`field-1.qty`, its row and key inside the list) takes the list's path from the
 * sub-form's cell around it (`field-items`).
 */
export function fieldPath(element: Element): Path | null {
  const path: Path = [];
  let cell = element.closest(FIELD_CELL);
  while (cell) {
    const parts = cell.getAttribute('data-testid')!.slice('field-'.length).split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    path.unshift(...parts);
    if (typeof parts[0] !== 'number') break;
    cell = cell.parentElement?.closest(FIELD_CELL) ?? null;
  }
  return path.length > 0 && typeof path[0] === 'string' ? path : null;
}

/** The field's definition at a path (a sub-form's row field at ['items', 1, 'qty']). */
function fieldAt(fields: FieldDef[], path: Path): FieldDef | undefined {
  const field = fields.find((item) => item.key === path[0]);
  if (path.length === 1) return field;
  return path.length === 3 ? field?.fields?.find((item) => item.key === path[2]) : undefined;
}

/**
 * Typed text as a number editor parses it while typing (rc-input-number: `。` for `.`, then
 * its parser, money's drops the thousands' commas, the default anything but digits, letters,
 * `.` and `-`): `{ value }`, null for emptied; undefined for what it would not take (not a
 * number). A percent is typed as the percent the form holds (15 for 15 %). No precision or
 * limits: the editor applies those when the person leaves the field, as it will.
 */
export function typedNumber(text: string, money: boolean): { value: number | null } | undefined {
  const dotted = text.replace(/。/g, '.');
  const cleaned = money ? dotted.replace(/,/g, '') : dotted.replace(/[^\w.-]+/g, '');
  if (cleaned.trim() === '') return { value: null };
  const value = Number(cleaned);
  return Number.isFinite(value) ? { value } : undefined;
}

/**
 * What the field's editor would hold for text typed into its first paint: text as is (a pattern
 * type's only spaces as blank, as types/text.tsx), a number parsed; undefined for what is not
 * kept (a look-alike's typed text, another editor's inner input).
 */
export function typedValue(field: FieldDef, text: string): { value: unknown } | undefined {
  if (field.type === 'text' || field.type === 'textarea') return { value: text };
  if (PATTERN_TYPES.has(field.type)) return { value: text.trim() === '' ? '' : text };
  if (NUMBER_TYPES.has(field.type)) return typedNumber(text, field.type === 'money');
  return undefined;
}

/**
 * The values typed into the first paint: each input or text area whose value is no longer the
 * one it was drawn with and that is its field's own editor (its id is the field's, prefixed).
 */
export function typedValues(paint: Element, fields: FieldDef[]): { path: Path; value: unknown }[] {
  const typed: { path: Path; value: unknown }[] = [];
  for (const element of paint.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (element.value === element.defaultValue) continue;
    const path = fieldPath(element);
    if (!path || !ID_PREFIXES.some((prefix) => element.id === prefix + path.join('_'))) continue;
    const field = fieldAt(fields, path);
    const value = field && typedValue(field, element.value);
    if (value) typed.push({ path, value: value.value });
  }
  return typed;
}

/** The focus as the first paint had it: the inline script's record, else the focused element itself. */
function focusOf(paint: Element, capture: CaptureWindow['__tesseraFirstPaint']): CapturedFocus | null {
  const active = document.activeElement;
  if (active && active.id && paint.contains(active)) {
    const field = active as HTMLInputElement;
    try {
      return { id: active.id, start: field.selectionStart ?? null, end: field.selectionEnd ?? null };
    } catch {
      return { id: active.id, start: null, end: null };
    }
  }
  return capture?.focus ?? null;
}

/**
 * The focus back on the app's element of the same id, with its caret. Focusing a look-alike (a
 * number) mounts the real control in its place, which takes the focus as it mounts: the caret
 * goes to whatever holds that id and the focus once React has done so.
 */
function restoreFocus({ id, start, end }: CapturedFocus): void {
  const target = document.getElementById(appId(id));
  if (!target) return;
  target.focus({ preventScroll: true });
  if (start === null) return;
  queueMicrotask(() => {
    const now = document.activeElement as HTMLInputElement | null;
    if (now?.id !== target.id) return;
    try {
      now.setSelectionRange(start, end ?? start);
    } catch {
      // an element without a caret
    }
  });
}

/**
 * A press on a control the first paint only drew, done again on the app's: a look-alike
 * (fields/lookalike.tsx) is woken as a press wakes it (the real control mounts focused and
 * open), a checkbox clicked, anything else focused.
 */
function replayPress(id: string): void {
  const target = document.getElementById(appId(id));
  if (!target) return;
  const lookalike = target.closest('.lazy-control');
  if (lookalike) lookalike.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
  else if (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio')) target.click();
  else target.focus({ preventScroll: true });
}

/**
 * The take-over (see the module's comment). `onEdit`: the form's "a person changed a value"
 * (dirty, the draft scheduled). The focus comes back after the values are in the app's editors
 * (a microtask: React renders the fields the new values reach at the end of this commit, and a
 * caret set before an input's value changes would move to its end).
 */
export function takeOver(paint: Element, form: TakeOverForm, fields: FieldDef[], onEdit: () => void): void {
  const capture = (window as CaptureWindow).__tesseraFirstPaint;
  const typed = typedValues(paint, fields);
  const focus = focusOf(paint, capture);
  const press = capture?.press ?? null;
  for (const { path, value } of typed) form.setFieldValue(path, value);
  if (typed.length > 0) onEdit();
  handOver();
  queueMicrotask(() => {
    if (press) replayPress(press);
    else if (focus) restoreFocus(focus);
  });
}

/**
 * RecordForm's hook: the take-over at the form's first commit when the page has a first paint;
 * otherwise (every form opened inside the app) nothing but one lookup.
 */
export function useFirstPaintTakeover(form: TakeOverForm, fields: FieldDef[], onEdit: () => void): void {
  useLayoutEffect(() => {
    const paint = document.getElementById(FIRST_PAINT_ID);
    if (paint) takeOver(paint, form, fields, onEdit);
    // the first commit only: a later one has nothing left to take over
  }, []);
}
