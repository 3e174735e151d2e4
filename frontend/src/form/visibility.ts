import { createContext, useContext } from 'react';
import type { FieldDef } from '../api/types';
import { evaluate } from '../expr';

/** Evaluates an expression tree against a record's data (the shared expression module). */
export type Evaluate = (expression: unknown, data: Record<string, unknown>) => unknown;

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The shared expression module (src/expr), with "today" in the browser's time zone. */
export const evaluateInBrowser: Evaluate = (expression, data) => evaluate(expression, data, { timeZone });

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
