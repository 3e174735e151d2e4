import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import '../fields';
import { defaultFormulaTree, defaultValues } from './values';
import { evaluateInBrowser } from './visibility';

const f = (key: string, type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type, label: { en: key }, ...extra });

describe('defaultValues', () => {
  it('computes formula defaults in the browser, as the server does on create', () => {
    const fields = [
      f('when', 'datetime', { required: true, default_formula: 'NOW()' }),
      f('day', 'date', { default_formula: { today: [] } }),
      f('qty', 'number', { default: 2 }),
      f('double', 'number', { default_formula: { '*': [{ var: 'qty' }, 2] } }),
      f('title', 'text'),
    ];
    const values = defaultValues(fields, evaluateInBrowser);
    const when = values.when as { toISOString(): string };
    expect(Math.abs(new Date(when.toISOString()).getTime() - Date.now())).toBeLessThan(60_000);
    expect(values.day).toBeTruthy();
    expect(values.qty).toBe(2);
    expect(values.double).toBe(4);
    expect('title' in values).toBe(false);
  });

  it('leaves a field empty when its formula cannot be computed here, and without an evaluator', () => {
    const fields = [f('a', 'text', { default_formula: 'CONCAT("x", "y")' }), f('b', 'number', { default_formula: { '/': [1, { var: 'missing' }] } })];
    expect(defaultValues(fields, null)).toEqual({});
    expect('a' in defaultValues(fields, evaluateInBrowser)).toBe(false);
  });

  it('reads argument-free calls of formula text as the server parser does', () => {
    expect(defaultFormulaTree('NOW()')).toEqual({ now: [] });
    expect(defaultFormulaTree(' TODAY( ) ')).toEqual({ today: [] });
    expect(defaultFormulaTree('DATE_ADD(TODAY(), 7, "day")')).toBeNull();
    expect(defaultFormulaTree({ today: [] })).toEqual({ today: [] });
  });
});
