// The row condition conformance cases (engines/form/conformance/row_conditions.json) in the
// RecordForm: each case's record opened for editing, each row's cells read as the form shows
// them (shown or not, marked required, disabled); and its rows' formula and new rows' default
// formula as the live formulas compute them. pytest runs the same file through the server's
// validate_record (tests/unit/form/test_row_conditions.py): a row sees only what the server
// gives it of the record (its outer-readable fields) and its own fields.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import conformance from '../../../engines/form/conformance/row_conditions.json';
import type { FieldDef, RecordData } from '../api/types';
import { renderFields } from '../fields/types/fieldTestKit';
import { formulaPlan, formulaWrites, withWrites } from './formulas';
import { recordToValues } from './values';
import { evaluateInBrowser } from './visibility';

type States = Record<string, { visible: boolean; required: boolean; editable: boolean }>;

/** A definition field as the browser has it: with a label (the cases need none). */
const labelled = (field: { key: string; fields?: { key: string }[] }): FieldDef => ({
  ...(field as FieldDef),
  label: { en: field.key, 'zh-CN': field.key },
  ...(field.fields ? { fields: field.fields.map(labelled) } : {}),
});

const FIELDS = conformance.form.fields.map(labelled);

/** A row cell as the form shows it: null when hidden. */
function shown(index: number, key: string) {
  const cell = screen.queryByTestId(`field-${index}.${key}`);
  if (!cell) return { visible: false, required: false, editable: true };
  const control = cell.querySelector('input, textarea, [role="combobox"], [aria-required]') as HTMLElement | null;
  return {
    visible: true,
    required: control?.getAttribute('aria-required') === 'true',
    editable: !(control as HTMLInputElement | null)?.disabled,
  };
}

describe('row formula and default conformance cases', () => {
  for (const { name, record, values } of conformance.cases) {
    it(name, () => {
      // everything computed (no previous values): a row without an _id is one just added
      const form = recordToValues(FIELDS, record);
      const plan = formulaPlan(FIELDS, { creating: false });
      const now = withWrites(form, formulaWrites(plan, form, null, evaluateInBrowser, record));
      const rows = now.lines as Record<string, unknown>[];
      expect(values.map((row, index) => Object.fromEntries(Object.keys(row).map((key) => [key, rows[index][key] ?? null])))).toEqual(values);
    });
  }
});

describe('row condition conformance cases', () => {
  for (const { name, record, expected } of conformance.cases) {
    it(name, async () => {
      renderFields(FIELDS, { record: record as unknown as RecordData });
      await waitFor(() => expect(screen.getByTestId('field-0.qty')).toBeInTheDocument());
      const got: States[] = [];
      (expected as States[]).forEach((row, index) => {
        got.push(Object.fromEntries(Object.keys(row).map((key) => [key, shown(index, key)])));
      });
      expect(got).toEqual(expected);
    });
  }
});
