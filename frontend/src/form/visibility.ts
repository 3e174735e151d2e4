import { createContext, useContext } from 'react';
import type { FieldDef } from '../api/types';
import { evaluate, fieldsRead } from '../expr';
import { outerReadable } from '../fields/registry';

/** Evaluates an expression tree against a record's data (the shared expression module). */
export type Evaluate = (expression: unknown, data: Record<string, unknown>) => unknown;

/**
 * The zone of the business calendar the server computes in: its records read "today" and a
 * datetime written without an offset there (engines/form RecordContext.timezone, which the
 * platform leaves at its default). The browser computes in it too, whatever zone the browser is
 * in, so a live `DATE_ADD(TODAY(), 30, "d")` shows what the server will store on save.
 */
export const SERVER_TIME_ZONE = 'Asia/Shanghai';

/** The shared expression module (src/expr), with "today" on the server's calendar. */
export const evaluateInBrowser: Evaluate = (expression, data) => evaluate(expression, data, { timeZone: SERVER_TIME_ZONE });

/**
 * The evaluator forms use for `visible_when`: the expression module unless a caller injects
 * another (tests); null means every field stays visible (the server still decides).
 */
export const EvaluatorContext = createContext<Evaluate | null>(evaluateInBrowser);

export function useEvaluator(): Evaluate | null {
  return useContext(EvaluatorContext);
}

/** JsonLogic truthiness: an empty array is false, everything else as in JavaScript. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

export function isVisible(field: FieldDef, data: Record<string, unknown>, evaluate: Evaluate | null): boolean {
  if (field.visible_when == null || !evaluate) return true;
  try {
    return truthy(evaluate(field.visible_when, data));
  } catch {
    // A condition that fails to evaluate must not hide a field the user may need to fill.
    return true;
  }
}

/** Defaults the server applies on create to a field left empty (engines/form record.py _defaults). */
const SERVER_DEFAULTS = ['default', 'default_formula', 'default_current', 'default_linkage'];

/**
 * `field` as its `required_when` makes it now: marked required while the condition holds (the
 * server's rule: required when true, not when it fails), else `field` itself. On a new record
 * (or row) a field the server fills when left empty (the current user as owner) is not marked:
 * the server's default satisfies it. The marked copy is made once per field, so FieldItem's memo
 * holds while the condition stays as it is.
 */
export function withRequired(field: FieldDef, data: Record<string, unknown>, evaluate: Evaluate | null, creating = false): FieldDef {
  if (field.required || field.required_when == null || !evaluate) return field;
  if (creating && SERVER_DEFAULTS.some((key) => field[key] != null)) return field;
  let on = false;
  try {
    on = truthy(evaluate(field.required_when, data));
  } catch {
    // a condition that fails makes nothing required (engines/form: default False)
  }
  if (!on) return field;
  let copy = requiredCopies.get(field);
  if (!copy) requiredCopies.set(field, (copy = { ...field, required: true }));
  return copy;
}

const requiredCopies = new WeakMap<FieldDef, FieldDef>();

/**
 * Is a saved record's field locked by its `editable_when` (false now)? The server refuses a
 * change to it then; a new record's fields are all editable, and a condition that fails locks
 * nothing (engines/form: default True).
 */
export function isLocked(field: FieldDef, data: Record<string, unknown>, evaluate: Evaluate | null): boolean {
  if (field.editable_when == null || !evaluate) return false;
  try {
    return !truthy(evaluate(field.editable_when, data));
  } catch {
    return false;
  }
}

/**
 * The record as a sub-form row's expressions see it (recordView), for the rows inside it
 * (see rowView).
 */
export const RecordViewContext = createContext<Record<string, unknown>>({});

/**
 * The record's values a sub-form row may read, from the record as expressions see it
 * (valuesForExpressions): its outer-readable fields only, null when it has no value, exactly as
 * the server hands them to a row (engines/form record.py record_view). Not its formulas (one may
 * sum the rows: circular), auto numbers, values in child rows, nor system fields.
 */
export function recordView(fields: FieldDef[], data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (outerReadable(field)) out[field.key] = data[field.key] ?? null;
  return out;
}

/** A sub-form row as its expressions see it: the record's view (recordView), overridden by the row's. */
export function rowView(record: Record<string, unknown>, row: Record<string, unknown>): Record<string, unknown> {
  return { ...record, ...row };
}

/** Does the expression read a field whose name it computes (`{"var": {"cat": …}}`)? Then no list of keys is complete. */
function readsComputedName(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsComputedName);
  if (typeof node !== 'object' || node === null) return false;
  return Object.entries(node).some(([operator, args]) => {
    const first = Array.isArray(args) ? args[0] : args;
    if (operator === 'var' && typeof first === 'object' && first !== null) return true;
    return readsComputedName(args);
  });
}

/**
 * The record's top-level keys an expression reads (`lines.amount` reads `lines`), so a form
 * follows only those values; null when no list is complete: it reads the whole record, a name
 * it computes (`{"var": {"cat": …}}`, which fieldsRead doesn't list), or can't be walked.
 */
export function topKeysRead(expression: unknown): string[] | null {
  let paths: string[];
  try {
    paths = readsComputedName(expression) ? [''] : fieldsRead(expression);
  } catch {
    return null;
  }
  if (paths.includes('')) return null;
  return [...new Set(paths.map((path) => path.split('.')[0]))];
}

const CONDITIONS = ['visible_when', 'required_when', 'editable_when'] as const;

/**
 * The top-level keys the form's conditions (visible_when, required_when, editable_when) read
 * (sub-form rows' too: a row's condition may read the record), so the form follows only these
 * values as the user types; null when a condition reads the whole record or a computed name
 * (follow every value).
 */
export function keysConditionsRead(fields: FieldDef[]): string[] | null {
  const keys = new Set<string>();
  for (const field of [...fields, ...fields.flatMap((f) => f.fields ?? [])]) {
    for (const prop of CONDITIONS) {
      const condition = field[prop];
      if (condition == null) continue;
      const read = topKeysRead(condition);
      if (read === null) return null; // follow everything
      for (const key of read) keys.add(key);
    }
  }
  return [...keys];
}
