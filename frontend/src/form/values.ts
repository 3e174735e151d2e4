import type { FieldDef, RecordData } from '../api/types';
import { isEditable, toApi, toForm } from '../fields/registry';

type Values = Record<string, unknown>;

/** A record from the API -> the values the form's editors hold. */
export function recordToValues(fields: FieldDef[], record: Values | undefined): Values {
  const values: Values = {};
  for (const field of fields) {
    if (record && field.key in record) values[field.key] = toForm(field, record[field.key]);
  }
  return values;
}

/** A new record starts from each field's `default` (a literal value in the definition). */
export function defaultValues(fields: FieldDef[]): Values {
  const values: Values = {};
  for (const field of fields) {
    const literal = field.default == null || typeof field.default !== 'object' || Array.isArray(field.default);
    // an object default is an expression (e.g. today's date) the server evaluates
    if (field.default != null && literal) values[field.key] = toForm(field, field.default);
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

/** Every field's value in API shape, computed ones included: what visibility conditions read. */
export function valuesForExpressions(fields: FieldDef[], values: Values, record?: Values): Values {
  const data: Values = { ...(record ?? {}) };
  for (const field of fields) {
    data[field.key] = isEditable(field) ? toApi(field, values[field.key]) : record?.[field.key];
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
