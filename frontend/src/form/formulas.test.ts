import { describe, expect, it, vi } from 'vitest';
import type { FieldDef } from '../api/types';
import '../fields';
import { formulaResult } from './formulaResult';
import { computesHere, formulaPlan, formulaWrites, withFirstFormulas, withTrees, withWrites } from './formulas';
import { evaluateInBrowser } from './visibility';

const f = (key: string, type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type, label: { en: key }, ...extra });

/** The server's parse of the CRM quote's formula texts (engines.rules.parse_formula). */
const trees = {
  'quantity * unit_price * discount_rate': { '*': [{ var: 'quantity' }, { var: 'unit_price' }, { var: 'discount_rate' }] },
  'SUM(lines.amount)': { sum: [{ var: 'lines' }, 'amount'] },
  'ROUND(SUM(lines.amount) - SUM(lines.amount) / (1 + tax_rate), 2)': {
    round: [{ '-': [{ sum: [{ var: 'lines' }, 'amount'] }, { '/': [{ sum: [{ var: 'lines' }, 'amount'] }, { '+': [1, { var: 'tax_rate' }] }] }] }, 2],
  },
  'amount_due - paid': { '-': [{ var: 'amount_due' }, { var: 'paid' }] },
  'total * 2': { '*': [{ var: 'total' }, 2] },
  'stage = "won"': { '==': [{ var: 'stage' }, 'won'] },
};

const money = (key: string) => f(key, 'money');
const formula = (key: string, text: string, extra: Partial<FieldDef> = {}) => f(key, 'formula', { formula: text, result_type: 'number', precision: 2, ...extra });

/** The CRM quote: lines with an amount each, their total and the VAT in it. */
const quote = withTrees(
  [
    f('lines', 'subform', {
      fields: [
        f('quantity', 'number', { precision: 2 }),
        money('unit_price'),
        f('discount_rate', 'percent', { precision: 4 }),
        formula('amount', 'quantity * unit_price * discount_rate'),
      ],
    }),
    // defined before what it reads: computed after it all the same
    formula('tax_amount', 'ROUND(SUM(lines.amount) - SUM(lines.amount) / (1 + tax_rate), 2)'),
    formula('total', 'SUM(lines.amount)'),
    f('tax_rate', 'percent'),
    f('note', 'text'),
  ],
  trees,
);
const line = (quantity: number, price: number, rate = 100) => ({ quantity, unit_price: price, discount_rate: rate });

function compute(next: Record<string, unknown>, previous: Record<string, unknown> | null, evaluate = evaluateInBrowser, record?: Record<string, unknown>) {
  const plan = formulaPlan(quote, { creating: record === undefined });
  return formulaWrites(plan, next, previous, evaluate, record);
}

describe('withTrees', () => {
  it('puts the server-parsed tree where formula text was, in sub-form rows too', () => {
    expect(quote[1].formula).toEqual(trees['ROUND(SUM(lines.amount) - SUM(lines.amount) / (1 + tax_rate), 2)']);
    expect(quote[0].fields![3].formula).toEqual(trees['quantity * unit_price * discount_rate']);
    expect(computesHere(quote[2])).toBe(true);
    const [cond] = withTrees([f('reason', 'text', { visible_when: 'stage = "won"', required_when: 'NOT PARSED' })], trees);
    expect(cond.visible_when).toEqual({ '==': [{ var: 'stage' }, 'won'] });
    expect('required_when' in cond).toBe(false);
  });

  it('keeps a formula without a tree as text (not computed here) and fields without text as they were', () => {
    const plain = [f('a', 'text'), f('b', 'formula', { formula: 'UNKNOWN(' })];
    const out = withTrees(plain, trees);
    expect(out[0]).toBe(plain[0]);
    expect(out[1].formula).toBe('UNKNOWN(');
    expect(computesHere(out[1])).toBe(false);
    expect(withTrees(plain, undefined)).toBe(plain);
  });
});

describe('formulaPlan', () => {
  it('orders each formula after the formulas it reads, as the server does', () => {
    const fields = withTrees([formula('double', 'total * 2'), formula('total', 'SUM(lines.amount)'), f('lines', 'subform', { fields: [money('amount')] })], trees);
    expect(formulaPlan(fields, { creating: true }).record.map((l) => l.field.key)).toEqual(['total', 'double']);
  });

  it('leaves out formulas reading what the form lacks: hidden fields, and lookups on a new record', () => {
    const fields = withTrees([f('amount_due', 'lookup'), formula('left', 'amount_due - paid'), f('paid', 'money'), formula('lines_total', 'SUM(lines.amount)')], trees);
    // `lines` is hidden from this caller: not in the form
    expect(formulaPlan(fields, { creating: false }).record.map((l) => l.field.key)).toEqual(['left']);
    expect(formulaPlan(fields, { creating: true }).record).toEqual([]);
    expect(formulaPlan(fields, { creating: false }).inputs.sort()).toEqual(['amount_due', 'paid']);
  });

  it('leaves out a formula reading a name it computes: no list of its inputs is complete', () => {
    const tree = { var: { cat: ['price_', { var: 'tier' }] } }; // price_<tier>
    const picked = f('picked', 'formula', { formula: tree as unknown as string, result_type: 'number' }); // a tree, as withTrees leaves one
    const fields = [f('tier', 'text'), money('price_a'), picked];
    expect(formulaPlan(fields, { creating: true }).record).toEqual([]);
  });
});

describe('formulaWrites', () => {
  it('computes each line, then the total and the tax over the lines, rounded as stored', () => {
    const values = { lines: [line(3, 19.99, 90), line(1, 100)], tax_rate: 13 };
    const writes = compute(values, null);
    expect(writes).toEqual([
      [['lines', 0, 'amount'], 53.97],
      [['lines', 1, 'amount'], 100],
      [['tax_amount'], 17.71],
      [['total'], 153.97],
    ]);
    const applied = withWrites(values, writes);
    expect(applied.total).toBe(153.97);
    expect((applied.lines as Record<string, unknown>[])[0].amount).toBe(53.97);
    // computing again over its own result changes nothing
    expect(compute(applied, values)).toEqual([]);
  });

  it('computes only the row that changed, and nothing for a field no formula reads', () => {
    const first = withWrites({ lines: [line(1, 10), line(2, 5)], tax_rate: 0 }, compute({ lines: [line(1, 10), line(2, 5)], tax_rate: 0 }, null));
    const evaluate = vi.fn(evaluateInBrowser);
    expect(compute({ ...first, note: 'x' }, first, evaluate)).toEqual([]);
    expect(evaluate).not.toHaveBeenCalled();
    const rows = first.lines as Record<string, unknown>[];
    const edited = { ...first, lines: [rows[0], { ...rows[1], quantity: 4 }] };
    // no VAT: the tax stays 0, so only the row's amount and the total are written
    expect(compute(edited, first, evaluate)).toEqual([
      [['lines', 1, 'amount'], 20],
      [['total'], 30],
    ]);
    // the edited row's amount, then the tax and the total: not the untouched row
    expect(evaluate).toHaveBeenCalledTimes(3);
  });

  it('sums new rows, empty ones and removed ones', () => {
    const first = withWrites({ lines: [line(1, 10)], tax_rate: 0 }, compute({ lines: [line(1, 10)], tax_rate: 0 }, null));
    // an empty new row: its amount is null (as the server's), the total stays
    expect(compute({ ...first, lines: [...(first.lines as object[]), {}] }, first)).toEqual([]);
    const added = { ...first, lines: [...(first.lines as object[]), line(2, 2.5)] };
    expect(compute(added, first)).toEqual([
      [['lines', 1, 'amount'], 5],
      [['total'], 15],
    ]);
    const removed = { ...first, lines: [] };
    expect(compute(removed, first)).toEqual([[['total'], 0]]);
  });

  it('empties a formula that fails or whose result does not fit its type, as the server stores null', () => {
    const broken = [f('a', 'number'), f('x', 'formula', { formula: { no_such_operator: [1] } as never, result_type: 'number' })];
    const plan = formulaPlan(broken, { creating: false });
    expect(formulaWrites(plan, { a: 1, x: 5 }, null, evaluateInBrowser, {})).toEqual([[['x'], null]]);
    const text = [f('a', 'number'), f('t', 'formula', { formula: { var: 'a' } as never, result_type: 'text' })];
    expect(formulaWrites(formulaPlan(text, { creating: true }), { a: 1 }, null, evaluateInBrowser)).toEqual([]);
  });

  it('reads the record around a row: a row formula over the order discount', () => {
    const fields = withTrees(
      [
        f('discount', 'number'),
        f('lines', 'subform', { fields: [money('price'), f('net', 'formula', { formula: { '*': [{ var: 'price' }, { '-': [1, { var: 'discount' }] }] } as never, result_type: 'number', precision: 2 })] }),
      ],
      {},
    );
    const plan = formulaPlan(fields, { creating: true });
    expect(plan.inputs.sort()).toEqual(['discount', 'lines']);
    const start = { discount: 0.1, lines: [{ price: 10 }] };
    const first = withWrites(start, formulaWrites(plan, start, null, evaluateInBrowser));
    expect((first.lines as Record<string, unknown>[])[0].net).toBe(9);
    expect(formulaWrites(plan, { ...first, discount: 0.5 }, first, evaluateInBrowser)).toEqual([[['lines', 0, 'net'], 5]]);
  });

  it('reads only what the server gives a row of its record: not a relation to several records (a link table)', () => {
    // engines/form outer_readable: values in child rows are not in a row's view of the record
    const fields = withTrees(
      [
        f('owners', 'relation', { target: 'customer', multiple: true }),
        f('kind', 'text'),
        f('lines', 'subform', {
          fields: [
            f('shared', 'number', { formula: { if: [{ var: 'owners' }, 1, 0] } as never, type: 'formula', result_type: 'number' }),
            f('tag', 'text', { default_formula: { cat: [{ var: 'kind' }, '/', { var: 'owners' }] } as never }),
          ],
        }),
      ],
      {},
    );
    const plan = formulaPlan(fields, { creating: true });
    const before = { owners: ['c1'], kind: 'b2b', lines: [] };
    const added = { ...before, lines: [{}] };
    expect(formulaWrites(plan, added, before, evaluateInBrowser)).toEqual([
      [['lines', 0, 'tag'], 'b2b/'],
      [['lines', 0, 'shared'], 0],
    ]);
  });

  it("gives a new row the defaults the server would: over the record's input fields, then the row", () => {
    // engines/form: a row created on save gets rate = discount (the record's input field) but
    // not seen_total = total (a formula: not in the view a row gets); amount follows the rate
    const fields = withTrees(
      [
        f('discount', 'percent'),
        f('total', 'formula', { formula: { sum: [{ var: 'lines' }, 'amount'] } as never, result_type: 'number' }),
        f('lines', 'subform', {
          fields: [
            f('quantity', 'number'),
            f('rate', 'percent', { default_formula: { var: 'discount' } as never }),
            f('seen_total', 'number', { default_formula: { var: 'total' } as never }),
            f('kept', 'percent', { default: 0.5, default_formula: { var: 'discount' } as never }),
            formula('amount', 'quantity * rate'),
          ],
        }),
      ],
      { 'quantity * rate': { '*': [{ var: 'quantity' }, { var: 'rate' }] } },
    );
    const plan = formulaPlan(fields, { creating: true });
    const before = { discount: 90, lines: [] };
    const added = { discount: 90, lines: [{ quantity: 3, kept: 50 }] }; // as defaultValues made it
    expect(formulaWrites(plan, added, before, evaluateInBrowser)).toEqual([
      [['lines', 0, 'rate'], 90], // the editor shows a percent
      [['lines', 0, 'amount'], 2.7],
      [['total'], 2.7],
    ]);
    const now = withWrites(added, formulaWrites(plan, added, before, evaluateInBrowser));
    // once there, the row keeps what it has: an emptied rate stays empty, a saved row is not filled
    const emptied = { ...now, lines: [{ ...(now.lines as object[])[0], rate: undefined }] };
    expect(formulaWrites(plan, emptied, now, evaluateInBrowser)).toEqual([
      [['lines', 0, 'amount'], null],
      [['total'], 0],
    ]);
    const saved = { discount: 90, lines: [{ _id: 'r1', quantity: 1 }] };
    expect(formulaWrites(plan, saved, { discount: 90, lines: [] }, evaluateInBrowser)).toEqual([[['total'], 0]]);
  });

  it('gives a new record its formulas over the defaults', () => {
    expect(withFirstFormulas(quote, { tax_rate: 13 }, evaluateInBrowser)).toMatchObject({ total: 0, tax_amount: 0 });
    expect(withFirstFormulas(quote, { tax_rate: 13 }, null)).toEqual({ tax_rate: 13 });
  });
});

describe('formulaResult', () => {
  it('normalises a result as the result type stores it', () => {
    const n = (extra: Partial<FieldDef> = {}) => f('r', 'formula', { result_type: 'number', ...extra });
    expect(formulaResult(n({ precision: 2 }), 2.675)).toBe(2.68);
    expect(formulaResult(n({ precision: 2 }), -0.001)).toBe(0);
    expect(formulaResult(n(), '1,234.5')).toBe(1234.5);
    expect(formulaResult(n(), true)).toBeNull();
    expect(formulaResult(n(), 1e30)).toBeNull();
    expect(formulaResult(f('r', 'formula', { result_type: 'text' }), '  A ')).toBe('A');
    expect(formulaResult(f('r', 'formula', { result_type: 'text' }), 3)).toBeNull();
    expect(formulaResult(f('r', 'formula', { result_type: 'date' }), '2026-11-24')).toBe('2026-11-24');
    expect(formulaResult(f('r', 'formula', { result_type: 'date' }), 'soon')).toBeNull();
    expect(formulaResult(f('r', 'formula', { result_type: 'datetime' }), '2026-11-24T10:00:00+08:00')).toBe('2026-11-24T02:00:00Z');
    expect(formulaResult(f('r', 'formula', { result_type: 'checkbox' }), false)).toBe(false);
    expect(formulaResult(f('r', 'formula', { result_type: 'checkbox' }), 1)).toBeNull();
  });
});
