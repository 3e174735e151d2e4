import type { FieldDef, FormDef } from '../api/types';
import { fieldType } from '../fields/display';

/**
 * Fields a bulk edit can set: those with a single-value editor the caller may write.
 *
 * The list asks this to decide whether to offer "Bulk edit" before the editors are loaded (they
 * come with the dialog, lazily), so it reads the display half of a type only: every type except
 * the read-only ones (computed and unknown types, which carry a `readOnlyHint`) registers a
 * single-value editor, and sub-forms edit rows, not one value. bulkEditable.test.ts checks this
 * against the registered editors.
 */
export function bulkEditableFields(form: FormDef, readonly: string[]): FieldDef[] {
  return form.fields.filter((field) => field.type !== 'subform' && !fieldType(field.type).readOnlyHint && !readonly.includes(field.key));
}
