import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AppDetail, FieldDef, FormDef, RecordData } from '../api/types';
import '../fields';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { RecordForm } from './RecordForm';

type Data = Record<string, unknown>;
const l = (en: string) => ({ en, 'zh-CN': en });
const f = (key: string, type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type, label: l(key), ...extra });

/** The CRM quote's lines and totals, formulas as text (templates_library/crm/app.json). */
const quoteForm: FormDef = {
  key: 'quote',
  name: l('Quote'),
  fields: [
    f('title', 'text'),
    f('lines', 'subform', {
      fields: [
        f('quantity', 'number', { precision: 2 }),
        f('unit_price', 'money', { currency: 'CNY' }),
        f('discount_rate', 'percent', { precision: 4 }),
        f('amount', 'formula', { formula: 'quantity * unit_price * discount_rate', result_type: 'number', precision: 2 }),
        f('why', 'text', { required_when: 'quantity > 10' }),
      ],
    }),
    f('total', 'formula', { formula: 'SUM(lines.amount)', result_type: 'number', precision: 2 }),
    f('tax_rate', 'percent', { default: 0.13 }),
    f('tax_amount', 'formula', { formula: 'ROUND(SUM(lines.amount) - SUM(lines.amount) / (1 + tax_rate), 2)', result_type: 'number', precision: 2 }),
    f('big', 'text', { visible_when: 'total > 1000' }),
  ],
};

/** What GET /apps/crm carries beside the definition: the server's parse of each text. */
const formula_trees = {
  'quantity * unit_price * discount_rate': { '*': [{ var: 'quantity' }, { var: 'unit_price' }, { var: 'discount_rate' }] },
  'SUM(lines.amount)': { sum: [{ var: 'lines' }, 'amount'] },
  'ROUND(SUM(lines.amount) - SUM(lines.amount) / (1 + tax_rate), 2)': {
    round: [{ '-': [{ sum: [{ var: 'lines' }, 'amount'] }, { '/': [{ sum: [{ var: 'lines' }, 'amount'] }, { '+': [1, { var: 'tax_rate' }] }] }] }, 2],
  },
  'total > 1000': { '>': [{ var: 'total' }, 1000] },
  'quantity > 10': { '>': [{ var: 'quantity' }, 10] },
};
const app: AppDetail = { ...crmApp, formula_trees, definition: { ...crmApp.definition, forms: [quoteForm] } };

function renderQuote(record?: RecordData) {
  const onSubmit = vi.fn(async (data: Data) => ({ _id: 'q1', _version: 1, ...data }) as RecordData);
  renderWithApp(<RecordForm app={app} form={quoteForm} record={record} onSubmit={onSubmit} onSaved={vi.fn()} onCancel={vi.fn()} autosave={false} />);
  return { onSubmit };
}

const cell = (row: number, key: string) => screen.getByTestId(`field-${row}.${key}`);
const shown = (key: string) => screen.getByTestId(`computed-${key}`).textContent;

function typeInto(box: HTMLElement, value: string) {
  const input = within(box).getByRole('spinbutton');
  act(() => input.focus());
  fireEvent.change(within(box).getByRole('spinbutton'), { target: { value } });
}

describe('RecordForm formulas', () => {
  it('computes each quote line and the totals as the user types, before saving', async () => {
    const { onSubmit } = renderQuote();
    // a new quote shows its formulas, computed over the defaults (no lines: 0)
    expect(shown('total')).toBe('0.00');
    expect(shown('tax_amount')).toBe('0.00');
    await userEvent.click(screen.getByRole('button', { name: /Add row/ }));
    expect(within(cell(0, 'amount')).getByTestId('computed-amount')).toHaveTextContent('—');
    typeInto(cell(0, 'quantity'), '3');
    typeInto(cell(0, 'unit_price'), '19.99');
    typeInto(cell(0, 'discount_rate'), '90');
    await waitFor(() => expect(within(cell(0, 'amount')).getByTestId('computed-amount')).toHaveTextContent('53.97'));
    expect(shown('total')).toBe('53.97');
    await userEvent.click(screen.getByRole('button', { name: /Add row/ }));
    typeInto(cell(1, 'quantity'), '1');
    typeInto(cell(1, 'unit_price'), '1000');
    typeInto(cell(1, 'discount_rate'), '100');
    await waitFor(() => expect(shown('total')).toBe('1,053.97'));
    expect(within(cell(1, 'amount')).getByTestId('computed-amount')).toHaveTextContent('1,000.00');
    expect(shown('tax_amount')).toBe('121.25');
    // a condition written as text reads the live total through its tree
    expect(screen.getByTestId('field-big')).toBeInTheDocument();
    // the computed values are the server's to store: never sent
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const sent = onSubmit.mock.calls[0][0];
    expect(sent).not.toHaveProperty('total');
    expect(sent.lines).toEqual([
      { quantity: 3, unit_price: 19.99, discount_rate: 0.9, why: null },
      { quantity: 1, unit_price: 1000, discount_rate: 1, why: null },
    ]);
  });

  it('keeps a saved record as it is until an input changes, then computes again', async () => {
    renderQuote({
      _id: 'q1',
      _version: 2,
      title: 'Q',
      lines: [{ _id: 'l1', quantity: 2, unit_price: 10, discount_rate: 1, amount: 20 }],
      total: 20,
      tax_rate: 0,
      tax_amount: 0,
    });
    expect(shown('total')).toBe('20.00');
    expect(screen.queryByTestId('field-big')).not.toBeInTheDocument();
    typeInto(cell(0, 'quantity'), '5');
    await waitFor(() => expect(shown('total')).toBe('50.00'));
    expect(within(cell(0, 'amount')).getByTestId('computed-amount')).toHaveTextContent('50.00');
    await userEvent.click(within(screen.getByTestId('field-lines')).getByRole('button', { name: 'Remove row' }));
    await waitFor(() => expect(shown('total')).toBe('0.00'));
  });

  it('marks a row field required while its condition, written as text, holds', async () => {
    renderQuote({ _id: 'q1', _version: 2, lines: [{ _id: 'l1', quantity: 2, unit_price: 10, discount_rate: 1, amount: 20 }], total: 20 });
    const why = () => cell(0, 'why').querySelector('label')!;
    expect(why()).not.toHaveClass('ant-form-item-required');
    typeInto(cell(0, 'quantity'), '30');
    await waitFor(() => expect(why()).toHaveClass('ant-form-item-required'));
    expect(within(cell(0, 'amount')).getByTestId('computed-amount')).toHaveTextContent('300.00');
    typeInto(cell(0, 'quantity'), '3');
    await waitFor(() => expect(why()).not.toHaveClass('ant-form-item-required'));
  });

  it('evaluates conditions written as text through their trees: required and editable', async () => {
    const form: FormDef = {
      key: 'deal',
      name: l('Deal'),
      fields: [
        f('amount', 'number'),
        f('reason', 'text', { required_when: 'amount > 100' }),
        f('note', 'text', { editable_when: 'amount < 1000' }),
      ],
    };
    const conditionTrees = { 'amount > 100': { '>': [{ var: 'amount' }, 100] }, 'amount < 1000': { '<': [{ var: 'amount' }, 1000] } };
    const deal: AppDetail = { ...crmApp, formula_trees: conditionTrees, definition: { ...crmApp.definition, forms: [form] } };
    const record = { _id: 'd1', _version: 1, amount: 2000, note: 'fixed' } as RecordData;
    renderWithApp(<RecordForm app={deal} form={form} record={record} onSubmit={vi.fn()} onSaved={vi.fn()} onCancel={vi.fn()} autosave={false} />);
    const label = (key: string) => screen.getByTestId(`field-${key}`).querySelector('label')!;
    const note = () => within(screen.getByTestId('field-note')).getByRole('textbox');
    expect(label('reason')).toHaveClass('ant-form-item-required');
    expect(note()).toBeDisabled();
    typeInto(screen.getByTestId('field-amount'), '50');
    await waitFor(() => expect(label('reason')).not.toHaveClass('ant-form-item-required'));
    expect(note()).toBeEnabled();
  });
});
