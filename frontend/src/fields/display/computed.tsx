/** Values the server computes (formula, serial, rollup, lookup) and types this browser doesn't know: shown, never edited. */
import type { FieldDef } from '../../api/types';
import { EXACT_DECIMAL, formatDecimal } from './decimal';
import { fieldType, registerFieldType, setFallbackFieldType, type DisplayContext, type FieldTypeUI } from '../registry';

function scalarText(value: unknown, ctx: DisplayContext): string {
  if (value == null) return '';
  if (typeof value === 'number') return formatDecimal(ctx.locale, value, { maximumFractionDigits: 10 });
  if (typeof value === 'boolean') return value ? ctx.t('form.yes') : ctx.t('form.no');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => scalarText(item, ctx)).join(', ');
  if (typeof value === 'object') {
    // address {text}, location {address}, file {name}: the part people read
    const record = value as Record<string, unknown>;
    const readable = record.text ?? record.address ?? record.name;
    if (typeof readable === 'string') return readable;
  }
  return JSON.stringify(value);
}

/** The server's formula result types (engines/form/types/computed.py RESULT_TYPES). */
const RESULT_TYPES = new Set(['number', 'text', 'date', 'datetime', 'checkbox']);

const computed = (type: string, valueKind: FieldTypeUI['valueKind']): FieldTypeUI => ({
  type,
  sortable: true,
  valueKind,
  columnWidth: 140,
  readOnlyHint: 'form.computed',
  display: (value, _field: FieldDef, ctx) => scalarText(value, ctx),
});

/**
 * Computed by the server: shown, never edited, never sent. A formula's value is shown as its
 * `result_type` shows values (a number to its `precision`, a date as a date, a checkbox as yes/no),
 * as the server stores it in that type's column.
 */
registerFieldType({
  ...computed('formula', 'text'),
  computed: true,
  display: (value, field, ctx) => {
    const type = typeof field.result_type === 'string' ? field.result_type : 'number';
    if (value == null || !RESULT_TYPES.has(type)) return scalarText(value, ctx);
    return fieldType(type).display(value, { ...field, type }, ctx);
  },
});
registerFieldType({ ...computed('serial', 'text'), allocates: true });
/**
 * The server sends a min/max over dates as the source's own JSON: '2026-11-20' for a date,
 * '2026-11-20T02:30:00Z' for a datetime. Shown the way those types show theirs, not as ISO text.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function rollupDateType(value: unknown, field: FieldDef): 'date' | 'datetime' | null {
  if (typeof value !== 'string' || (field.agg !== 'min' && field.agg !== 'max')) return null;
  if (ISO_DATE.test(value)) return 'date';
  return ISO_DATETIME.test(value) ? 'datetime' : null;
}

/** Aggregates whose result is always a number (engines/form/types/relation.py AGGREGATES). */
const NUMERIC_AGGREGATES = new Set(['count', 'count_distinct', 'sum', 'avg']);

registerFieldType({
  ...computed('rollup', 'number'),
  stored: false,
  display: (value, field, ctx) => {
    const type = rollupDateType(value, field);
    if (type) return fieldType(type).display(value, { ...field, type }, ctx);
    // a sum past 15 significant digits comes as the server's exact decimal string
    if (typeof value === 'string' && NUMERIC_AGGREGATES.has(String(field.agg)) && EXACT_DECIMAL.test(value)) {
      return formatDecimal(ctx.locale, value, { maximumFractionDigits: 10 });
    }
    return scalarText(value, ctx);
  },
});
registerFieldType({ ...computed('lookup', 'none'), sortable: false, stored: false });

/** A type this browser doesn't know (a newer server's): shown read-only, never dropped. */
setFallbackFieldType({ ...computed('unknown', 'none'), sortable: false, readOnlyHint: 'form.notEditable' });
