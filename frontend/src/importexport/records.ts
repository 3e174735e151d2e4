/**
 * Pure helpers that lay the preview's records out by file row and column. The server groups a
 * record's file rows (its sub-form rows) and names every error by file row and column header;
 * these put each value and error back where the user sees it in the spreadsheet.
 */
import type { FieldDef } from '../api/types';
import type { CellError, PreviewField, PreviewRecord } from './api';

/** The file rows a record spans as a spreadsheet user reads them: `3`, `3–5`, or `3, 5, 8`. */
export function spanText(record: PreviewRecord): string {
  const rows = record.file_rows?.length ? record.file_rows : [record.row];
  if (rows.length === 1) return String(rows[0]);
  const contiguous = rows.every((n, i) => i === 0 || n === rows[i - 1] + 1);
  return contiguous ? `${rows[0]}–${rows[rows.length - 1]}` : rows.join(', ');
}

/** The file rows of a record (at least its first). */
export const fileRows = (record: PreviewRecord): number[] => (record.file_rows?.length ? record.file_rows : [record.row]);

/** The sub-form a mapping target belongs to (`items` for `items.qty`), else null. */
export function subformOf(fields: PreviewField[], key: string | null | undefined): string | null {
  if (!key) return null;
  const field = fields.find((f) => f.key === key);
  if (field) return field.subform ?? null;
  return null;
}

/** The errors that belong in one cell: the file row and the column header (or, for an error
 * without a column, the field the column feeds). */
export function errorsAt(errors: CellError[], row: number, header: string, fieldKey: string | null | undefined): CellError[] {
  return errors.filter(
    (e) => e.row === row && (e.column === header || (e.column == null && fieldKey != null && e.field === fieldKey)),
  );
}

/** Errors no visible cell shows (a column not mapped, or none at all): listed under the table. */
export function unplacedErrors(record: PreviewRecord, shown: { header: string; field: string | null }[]): CellError[] {
  const rows = new Set(fileRows(record));
  return record.errors.filter(
    (e) => !rows.has(e.row) || !shown.some((c) => e.column === c.header || (e.column == null && e.field != null && e.field === c.field)),
  );
}

/** The definition of a sub-form's field (`items`, `qty`) for displaying its values. */
export function childField(fields: FieldDef[], subform: string, child: string): FieldDef | undefined {
  return fields.find((f) => f.key === subform)?.fields?.find((f) => f.key === child);
}

const blank = (value: unknown) => value == null || value === '';

/**
 * The converted value of one sub-form column on one file row, or undefined when the preview
 * does not say. The server gives the sub-form rows in order (`values[sub]`) but not their file
 * rows, so they are laid onto the record's file rows from the top, starting on the first row
 * when it has a cell for that sub-form — exact for the usual file (one sub-form row per file
 * row) and for sub-forms of different lengths that share the rows from the top.
 */
export function subValue(
  record: PreviewRecord,
  subform: string,
  child: string,
  position: number,
  firstRowHasSub: boolean,
): unknown {
  const list = record.values?.[subform];
  if (!Array.isArray(list)) return undefined;
  const index = position - (firstRowHasSub ? 0 : 1);
  const item: unknown = index >= 0 ? list[index] : undefined;
  if (item == null || typeof item !== 'object') return undefined;
  return (item as Record<string, unknown>)[child];
}

/** Whether the record's first file row has any cell for the sub-form's columns. */
export function firstRowHas(record: PreviewRecord, headers: string[]): boolean {
  return headers.some((h) => !blank(record.cells[h]));
}

/** How many sub-form rows the record has, when the preview says (a clean record). */
export function subCount(record: PreviewRecord, subform: string): number | null {
  const list = record.values?.[subform];
  return Array.isArray(list) ? list.length : null;
}
