import { createContext, useContext } from 'react';
import type { FieldDef } from '../api/types';
import { evaluate, fieldsRead } from '../expr';

/** Evaluates an expression tree against a record's data (the shared expression module). */
export type Evaluate = (expression: unknown, data: Record<string, unknown>) => unknown;

/**
 * The browser's time zone, asked on the first evaluation: the first Intl object a page builds
 * loads ICU's data (~20 ms on a cold load), and this module is loaded (and run) with pages that
 * evaluate nothing, such as the list.
 */
let zone: string | undefined;
const timeZone = () => (zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);

/** The shared expression module (src/expr), with "today" in the browser's time zone. */
export const evaluateInBrowser: Evaluate = (expression, data) => evaluate(expression, data, { timeZone: timeZone() });

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

/** The record as expressions see it, for the sub-form rows inside it (see rowView). */
export const RecordViewContext = createContext<Record<string, unknown>>({});

/** A sub-form row as its conditions see it: the record's fields, overridden by the row's. */
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
 * The top-level keys the form's `visible_when` conditions read (sub-form rows' too: a row's
 * condition may read the record), so the form follows only these values as the user types;
 * null when a condition reads the whole record or a computed name (follow every value).
 */
export function keysConditionsRead(fields: FieldDef[]): string[] | null {
  const keys = new Set<string>();
  for (const field of [...fields, ...fields.flatMap((f) => f.fields ?? [])]) {
    if (field.visible_when == null) continue;
    let paths: string[];
    try {
      paths = readsComputedName(field.visible_when) ? [''] : fieldsRead(field.visible_when);
    } catch {
      return null; // an expression it can't walk: follow everything, as before
    }
    if (paths.includes('')) return null;
    for (const path of paths) keys.add(path.split('.')[0]);
  }
  return [...keys];
}
