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

  it('shows a number the server answers as an exact decimal string digit for digit, grouped', () => {
    // past 15 significant digits a double would change it, so the API sends the decimal's text
    expect(show('12345678901234567.50', formula({ precision: 2 }))).toBe('12,345,678,901,234,567.50');
    expect(show('-100000000000000000000', formula())).toBe('-100,000,000,000,000,000,000');
    expect(fieldType('money').display('12345678901234567.5', formula({ type: 'money', precision: 2 }), ctx)).toBe('¥12,345,678,901,234,567.50');
    const rollup: FieldDef = { key: 'sum', type: 'rollup', label: { en: 'Sum' }, agg: 'sum' };
    expect(fieldType('rollup').display('98765432109876543.21', rollup, ctx)).toBe('98,765,432,109,876,543.21');
    // text that only looks like a number stays as it is
    expect(fieldType('serial').display('000123', { key: 'no', type: 'serial', label: { en: 'No' } }, ctx)).toBe('000123');
  });
});
