import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import '../fields';
import { withTrees } from './formulas';
import { defaultFormulaTree, defaultValues, valuesForExpressions } from './values';
import { evaluateInBrowser } from './visibility';

const f = (key: string, type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type, label: { en: key }, ...extra });

/** The server's parse of these texts, as GET /apps/{app} carries it in `formula_trees`. */
const trees = {
  'NOW()': { now: [] },
  'DATE_ADD(TODAY(), 7, "d")': { date_add: [{ today: [] }, 7, 'd'] },
  'qty * 2': { '*': [{ var: 'qty' }, 2] },
};

describe('defaultValues', () => {
  it('computes formula defaults in the browser, as the server does on create', () => {
    const fields = withTrees(
      [
        f('when', 'datetime', { required: true, default_formula: 'NOW()' }),
        f('day', 'date', { default_formula: { today: [] } }),
        f('qty', 'number', { default: 2 }),
        f('double', 'number', { default_formula: 'qty * 2' }),
        f('title', 'text'),
      ],
      trees,
    );
    const values = defaultValues(fields, evaluateInBrowser);
    const when = values.when as { toISOString(): string };
    expect(Math.abs(new Date(when.toISOString()).getTime() - Date.now())).toBeLessThan(60_000);
    expect(values.day).toBeTruthy();
    expect(values.qty).toBe(2);
    expect(values.double).toBe(4);
    expect('title' in values).toBe(false);
  });

  it('computes any default formula text through its tree (a week from today)', () => {
    const [due] = withTrees([f('due', 'date', { default_formula: 'DATE_ADD(TODAY(), 7, "d")' })], trees);
    const values = defaultValues([due], evaluateInBrowser);
    // a week from today on the server's calendar (Asia/Shanghai), whatever the browser's zone
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const expected = new Date(`${today}T00:00:00Z`);
    expected.setUTCDate(expected.getUTCDate() + 7);
    expect((values.due as { format(f: string): string }).format('YYYY-MM-DD')).toBe(expected.toISOString().slice(0, 10));
  });

  it('leaves a field empty when its formula fails, has no tree, or there is no evaluator', () => {
    const fields = withTrees(
      [f('a', 'text', { default_formula: 'CONCAT("x", "y")' }), f('b', 'number', { default_formula: { '/': [1, { var: 'missing' }] } })],
      trees,
    );
    expect(defaultValues(fields, null)).toEqual({});
    expect('a' in defaultValues(fields, evaluateInBrowser)).toBe(false);
  });

  it('takes trees as they are and no text (the server parses text)', () => {
    expect(defaultFormulaTree({ today: [] })).toEqual({ today: [] });
    expect(defaultFormulaTree('NOW()')).toBeNull();
    expect(defaultFormulaTree(undefined)).toBeNull();
  });
});

describe('valuesForExpressions', () => {
  it('reads a computed field as the form holds it (computed live), else as the record has it', () => {
    const fields = [f('qty', 'number'), f('total', 'formula'), f('last', 'rollup')];
    const record = { _id: 'r1', qty: 1, total: 2, last: 5 };
    expect(valuesForExpressions(fields, { qty: 3, total: 6 }, record)).toEqual({ _id: 'r1', qty: 3, total: 6, last: 5 });
  });
});
