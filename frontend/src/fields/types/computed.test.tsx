import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../../api/types';
import '../index';
import { fieldType, type DisplayContext } from '../registry';

const ctx: DisplayContext = { locale: 'en', t: ((key: string) => key) as DisplayContext['t'], text: (v) => (typeof v === 'string' ? v : '') };
const rollup = (agg: string): FieldDef => ({ key: 'last', type: 'rollup', label: { en: 'Last' }, via: { form: 'followup', relation: 'customer' }, field: 'when', agg });
const show = (value: unknown, field: FieldDef) => fieldType('rollup').display(value, field, ctx);

describe('rollup display', () => {
  it('shows a min/max over datetimes and dates as those types do, not as ISO text', () => {
    const datetime = show('2026-11-20T02:30:00Z', rollup('max'));
    expect(datetime).toBe(fieldType('datetime').display('2026-11-20T02:30:00Z', { ...rollup('max'), type: 'datetime' }, ctx));
    expect(datetime).not.toContain('T02:30');
    expect(show('2026-11-20', rollup('min'))).toBe(fieldType('date').display('2026-11-20', { ...rollup('min'), type: 'date' }, ctx));
    expect(show('2026-11-20', rollup('min'))).not.toBe('2026-11-20');
  });

  it('keeps counts and sums as numbers and other text as it is', () => {
    expect(show(1234.5, rollup('sum'))).toBe('1,234.5');
    expect(show(3, rollup('count'))).toBe('3');
    expect(show('Acme', rollup('max'))).toBe('Acme');
  });
});
