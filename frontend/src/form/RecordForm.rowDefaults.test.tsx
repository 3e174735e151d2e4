// A new sub-form row's default_formula reading the record around it, in the form: the server
// gives a row it creates the record's input fields to read (engines/form record.py), so the
// browser's new row shows, and sends, the same default.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AppDetail, FieldDef, FormDef, RecordData } from '../api/types';
import '../fields';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { RecordForm } from './RecordForm';

const l = (en: string) => ({ en, 'zh-CN': en });
const f = (key: string, type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type, label: l(key), ...extra });

const orderForm: FormDef = {
  key: 'order',
  name: l('Order'),
  fields: [
    f('discount', 'percent', { default: 0.9 }),
    f('lines', 'subform', {
      fields: [
        f('quantity', 'number'),
        f('rate', 'percent', { default_formula: 'discount' }),
        f('amount', 'formula', { formula: 'quantity * rate', result_type: 'number', precision: 2 }),
      ],
    }),
  ],
};
const app: AppDetail = {
  ...crmApp,
  formula_trees: { discount: { var: 'discount' }, 'quantity * rate': { '*': [{ var: 'quantity' }, { var: 'rate' }] } },
  definition: { ...crmApp.definition, forms: [orderForm] },
};

describe('RecordForm: a new row default reading the record', () => {
  it('takes the record’s value when the row is added, computes with it and sends it', async () => {
    const onSubmit = vi.fn(async (data: Record<string, unknown>) => ({ _id: 'o1', _version: 1, ...data }) as RecordData);
    renderWithApp(<RecordForm app={app} form={orderForm} onSubmit={onSubmit} onSaved={vi.fn()} onCancel={vi.fn()} autosave={false} />);
    await userEvent.click(screen.getByRole('button', { name: /Add row/ }));
    const rate = within(screen.getByTestId('field-0.rate')).getByRole('spinbutton');
    await waitFor(() => expect(rate).toHaveValue('90')); // the percent editor shows 0.9 as 90
    const quantity = () => within(screen.getByTestId('field-0.quantity')).getByRole('spinbutton');
    act(() => quantity().focus());
    fireEvent.change(quantity(), { target: { value: '3' } }); // the focused editor is a new input
    await waitFor(() => expect(within(screen.getByTestId('field-0.amount')).getByTestId('computed-amount')).toHaveTextContent('2.70'));
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0].lines).toEqual([{ quantity: 3, rate: 0.9 }]);
  });
});
