import type { FieldDef, RecordData } from '../api/types';
import { isEditable, toApi, toForm } from '../fields/registry';
import type { Evaluate } from './visibility';

const isReadOnly = (field: FieldDef) => !isEditable(field);

type Values = Record<string, unknown>;

/** A record from the API -> the values the form's editors hold. */
export function recordToValues(fields: FieldDef[], record: Values | undefined): Values {
  const values: Values = {};
  for (const field of fields) {
    if (record && field.key in record) values[field.key] = toForm(field, record[field.key]);
  }
  return values;
}

/**
 * The expression tree of a `default_formula`: a tree as it is; formula text has been replaced by
 * the server's parse of it (form/formulas.ts withTrees, from the app answer's `formula_trees`),
 * so text still here is text the browser has no tree for: null (the server fills it on save).
 */
export function defaultFormulaTree(formula: unknown): unknown {
  if (formula == null || typeof formula === 'string') return null;
  return formula;
}

/**
 * A new record starts from each field's `default` (a literal) or, failing that, its
 * `default_formula` evaluated as the server does on create (over the literal defaults before
 * it; a formula that fails leaves the field empty), so a required field with a formula default
 * (a follow-up's "When" = NOW()) is filled and doesn't block saving.
 */
export function defaultValues(fields: FieldDef[], evaluate?: Evaluate | null): Values {
  const values: Values = {};
  const data: Values = {};
  for (const field of fields) {
    if (field.default != null) {
      // an object default was never taken as a value here (kept so)
      const literal = typeof field.default !== 'object' || Array.isArray(field.default);
      if (literal) {
        values[field.key] = toForm(field, field.default);
        data[field.key] = field.default;
      }
      continue;
    }
    const tree = evaluate && !isReadOnly(field) ? defaultFormulaTree(field.default_formula) : null;
    if (tree == null) continue;
    try {
      const value = evaluate!(tree, data);
      if (value == null) continue;
      values[field.key] = toForm(field, value);
      data[field.key] = value;
    } catch {
      // as on the server: a default that can't be computed leaves the field empty
    }
  }
  return values;
}

/** The form's values -> API data, for the given fields only (visible, editable ones). */
export function valuesToData(fields: FieldDef[], values: Values): Values {
  const data: Values = {};
  for (const field of fields) {
    if (!isEditable(field)) continue;
    data[field.key] = toApi(field, values[field.key]);
  }
  return data;
}

/**
 * Every field's value in API shape, computed ones included: what visibility conditions read.
 * A computed field reads as the form holds it (a formula computed as the user types,
 * form/formulas.ts), else as the record has it. A saved sub-form row's values hold its `_id`:
 * its conditions read it, as on the server (the record's own is in `record`).
 */
export function valuesForExpressions(fields: FieldDef[], values: Values, record?: Values): Values {
  const data: Values = { ...(record ?? {}) };
  if (values._id != null) data._id = values._id;
  for (const field of fields) {
    if (isEditable(field)) data[field.key] = toApi(field, values[field.key]);
    else data[field.key] = field.key in values ? (values[field.key] ?? null) : record?.[field.key];
  }
  return data;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Only what differs from the record as loaded: a PATCH sends the fields the user changed.
 * The original goes through the same editor round trip, so an instant written with another
 * offset or a row's display titles don't count as changes.
 */
export function changedData(fields: FieldDef[], data: Values, original: RecordData): Values {
  const changed: Values = {};
  for (const field of fields) {
    if (!(field.key in data)) continue;
    const before = toApi(field, toForm(field, original[field.key]));
    if (!same(data[field.key], before)) changed[field.key] = data[field.key];
  }
  return changed;
}

/** A new record leaves unfilled fields out, so the server applies its defaults to them. */
export function withoutBlanks(data: Values): Values {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
}
