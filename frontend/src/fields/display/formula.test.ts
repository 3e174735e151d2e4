import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../../api/types';
import '../display';
import { fieldType, type DisplayContext } from '../registry';

const ctx: DisplayContext = { locale: 'en', t: ((key: string) => key) as DisplayContext['t'], text: (v) => (typeof v === 'string' ? v : '') };
const formula = (extra: Partial<FieldDef> = {}): FieldDef => ({ key: 'total', type: 'formula', label: { en: 'Total' }, formula: 'a * b', ...extra });
const show = (value: unknown, field: FieldDef) => fieldType('formula').display(value, field, ctx);

describe('formula display', () => {
  it('shows a number to the formula’s precision, as a number field with that precision would', () => {
    expect(show(1234.5, formula({ precision: 2 }))).toBe('1,234.50');
    expect(show(1234.5, formula())).toBe('1,234.5'); // result_type number is the default
  });

  it('shows dates, datetimes and checkboxes as those types do, not as ISO text or true', () => {
    const date = show('2026-11-20', formula({ result_type: 'date' }));
    expect(date).toBe(fieldType('date').display('2026-11-20', formula({ type: 'date' }), ctx));
    expect(date).not.toBe('2026-11-20');
    const at = show('2026-11-20T02:30:00Z', formula({ result_type: 'datetime' }));
    expect(at).toBe(fieldType('datetime').display('2026-11-20T02:30:00Z', formula({ type: 'datetime' }), ctx));
    expect(show(true, formula({ result_type: 'checkbox' }))).toBe(fieldType('checkbox').display(true, formula({ type: 'checkbox' }), ctx));
  });

  it('keeps text as it is and shows nothing for an empty value', () => {
    expect(show('A', formula({ result_type: 'text' }))).toBe('A');
    expect(show(null, formula({ precision: 2 }))).toBe('');
  });
});
