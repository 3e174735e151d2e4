import { describe, expect, it } from 'vitest';
import type { FieldDef, FormDef } from '../api/types';
import { fieldType, fieldTypes } from '../fields';
import { customerForm } from '../test/fixtures';
import { bulkEditableFields } from './bulkEditable';

describe('bulkEditableFields', () => {
  it('agrees with the registered editors for every field type', () => {
    // the list decides without the editors; once they are loaded, the two rules must match
    const fields: FieldDef[] = [...fieldTypes(), 'no-such-type'].map((type) => ({ key: `f_${type}`, type, label: { en: type } }) as FieldDef);
    const form = { ...customerForm, fields } as FormDef;
    const withEditor = fields.filter((field) => field.type !== 'subform' && Boolean(fieldType(field.type).Input));
    expect(bulkEditableFields(form, []).map((f) => f.key)).toEqual(withEditor.map((f) => f.key));
  });

  it('leaves out the fields the caller may not write', () => {
    const all = bulkEditableFields(customerForm, []);
    expect(all.length).toBeGreaterThan(1);
    const readonly = [all[0].key];
    expect(bulkEditableFields(customerForm, readonly).map((f) => f.key)).not.toContain(all[0].key);
  });
});
