import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { RecordData } from '../api/types';
import '../fields';
import { crmApp, customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { RecordForm } from './RecordForm';
import { EvaluatorContext, type Evaluate } from './visibility';

type Data = Record<string, unknown>;

/** Without an evaluator every field counts as visible. */
const noEvaluator = null;

function renderForm(props: { record?: RecordData; onSubmit?: (data: Data) => Promise<RecordData>; evaluate?: Evaluate | null } = {}) {
  const onSubmit = vi.fn(props.onSubmit ?? (async (data: Data) => ({ _id: 'r1', _version: 1, ...data }) as RecordData));
  const onSaved = vi.fn();
  const form = (
    <RecordForm app={crmApp} form={customerForm} record={props.record} onSubmit={onSubmit} onSaved={onSaved} onCancel={vi.fn()} />
  );
  renderWithApp(props.evaluate !== undefined ? <EvaluatorContext.Provider value={props.evaluate}>{form}</EvaluatorContext.Provider> : form);
  return { onSubmit, onSaved };
}

const field = (key: string) => screen.getByTestId(`field-${key}`);

async function chooseOption(key: string, label: string) {
  const combobox = within(field(key)).getByRole('combobox');
  fireEvent.mouseDown(combobox);
  const option = await screen.findByTitle(label);
  fireEvent.click(option);
}

describe('RecordForm', () => {
  it('renders every basic type with its label, help text and required mark', () => {
    renderForm();
    for (const label of ['Name', 'Notes', 'Employees', 'Revenue', 'Discount', 'Customer since', 'Next call', 'Level', 'Tags', 'Active', 'Items']) {
      expect(screen.getByText(label)).toBeInTheDocument();
    }
    expect(field('name').querySelector('input')).toBeInTheDocument();
    expect(field('notes').querySelector('textarea')).toBeInTheDocument();
    expect(field('revenue')).toHaveTextContent('¥');
    expect(field('discount')).toHaveTextContent('%');
    expect(within(field('since')).getByRole('textbox')).toBeInTheDocument();
    expect(within(field('level')).getByRole('combobox')).toBeInTheDocument();
    expect(within(field('active')).getByRole('checkbox')).toBeInTheDocument();
    // nothing is computed before the first save: no read-only serial on a new record
    expect(screen.queryByTestId('computed-no')).not.toBeInTheDocument();
    expect(screen.getByText('As on the business licence')).toBeInTheDocument();
    // required fields are marked, optional ones not
    expect(field('name').querySelector('.ant-form-item-required')).not.toBeNull();
    expect(field('notes').querySelector('.ant-form-item-required')).toBeNull();
  });

  it("draws the fields the caller's role makes read-only disabled, and never sends them", async () => {
    // `level` has a default: sent with a new record, the server would refuse it (read_only_field)
    const form = { ...customerForm, fields: customerForm.fields.map((f) => (f.key === 'level' ? { ...f, default: 'B' } : f)) };
    const app = { ...crmApp, access: { customer: { actions: ['view', 'create', 'edit'], readonly: ['level', 'notes'] } } };
    const onSubmit = vi.fn(async (data: Data) => ({ _id: 'r1', _version: 1, ...data }) as RecordData);
    renderWithApp(<RecordForm app={app} form={form} onSubmit={onSubmit} onSaved={vi.fn()} onCancel={vi.fn()} />);
    expect(field('notes').querySelector('textarea')).toBeDisabled();
    expect(within(field('level')).getByRole('combobox')).toBeDisabled();
    expect(within(field('level')).getByText('Regular')).toBeInTheDocument(); // its default, shown
    expect(field('name').querySelector('input')).toBeEnabled();
    fireEvent.change(field('name').querySelector('input')!, { target: { value: 'Acme' } });
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).toEqual({ name: 'Acme', items: [] });
  });

  it('refuses to save without the required fields', async () => {
    const { onSubmit } = renderForm();
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByText('Name is required')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends each basic type in its API form, leaving unfilled ones to the server\'s defaults', async () => {
    const { onSubmit, onSaved } = renderForm({ evaluate: noEvaluator });
    // focused first, as a person reaches a field: a number's editor mounts then (fields/lazy.tsx)
    const typeInto = (key: string, role: string, value: string) => {
      act(() => within(field(key)).getByRole(role).focus());
      fireEvent.change(within(field(key)).getByRole(role), { target: { value } });
    };
    typeInto('name', 'textbox', 'Acme Ltd');
    typeInto('notes', 'textbox', 'Line one');
    typeInto('employees', 'spinbutton', '120');
    typeInto('revenue', 'spinbutton', '1234.5');
    typeInto('discount', 'spinbutton', '15');
    await chooseOption('level', 'Regular');
    await chooseOption('tags', 'VIP');
    await userEvent.click(within(field('active')).getByRole('checkbox'));
    await userEvent.click(screen.getByTestId('form-save'));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toEqual({
      name: 'Acme Ltd',
      notes: 'Line one',
      employees: 120,
      revenue: 1234.5,
      discount: 0.15,
      level: 'B',
      tags: ['vip'],
      active: true,
      items: [],
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('shows dates and numbers of a record and sends back only what changed', async () => {
    const record: RecordData = {
      _id: 'r1',
      _version: 3,
      name: 'Acme',
      since: '2024-03-05',
      next_call: '2026-11-24T09:30:00+08:00',
      discount: 0.2,
      level: 'A',
      tags: ['new'],
      active: false,
      no: 'C-0007',
      items: [{ _id: 'i1', product: 'Bolt', qty: 3 }],
    };
    const { onSubmit } = renderForm({ record });
    expect(within(field('since')).getByRole('textbox')).toHaveValue('2024-03-05');
    expect(within(field('discount')).getByRole('spinbutton')).toHaveValue('20');
    expect(screen.getByTestId('computed-no')).toHaveTextContent('C-0007');
    expect(screen.getByDisplayValue('Bolt')).toBeInTheDocument();

    const name = within(field('name')).getByRole('textbox');
    await userEvent.clear(name);
    await userEvent.type(name, 'Acme Group');
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toEqual({ name: 'Acme Group' });
  });

  it('places server errors on the field, the sub-form row and, for the rest, above the form', async () => {
    const record: RecordData = { _id: 'r1', _version: 1, name: 'Acme', items: [{ _id: 'i1', product: 'Bolt', qty: 1 }, { _id: 'i2', product: 'Nut', qty: 2 }] };
    const { onSubmit } = renderForm({
      record,
      onSubmit: async () => {
        throw new ApiError(422, {
          status: 422,
          code: 'validation_failed',
          errors: [
            { path: 'data.name', code: 'duplicate', message: 'A customer with this name already exists' },
            { path: 'data.items[1].qty', code: 'too_small', message: 'Must be at least 5' },
            { path: 'data.items', code: 'too_few', message: 'Needs three rows' },
            { path: 'data.region', code: 'unknown', message: 'Region is not allowed' },
          ],
        });
      },
    });
    await userEvent.type(within(field('name')).getByRole('textbox'), ' Ltd');
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());

    expect(await within(field('name')).findByText('A customer with this name already exists')).toBeInTheDocument();
    const rows = screen.getAllByRole('row');
    const nutRow = rows.find((row) => within(row).queryByDisplayValue('Nut'));
    expect(nutRow).toBeDefined();
    expect(within(nutRow!).getByText('Must be at least 5')).toBeInTheDocument();
    expect(within(field('items')).getByText('Needs three rows')).toBeInTheDocument();
    expect(screen.getByTestId('form-errors')).toHaveTextContent('Region is not allowed');
  });

  it('shows and hides fields live with their visible_when condition (the expression module)', async () => {
    renderForm();
    expect(screen.queryByText('VIP note')).not.toBeInTheDocument();
    await chooseOption('level', 'Key account');
    expect(await screen.findByText('VIP note')).toBeInTheDocument();
    await chooseOption('level', 'Regular');
    await waitFor(() => expect(screen.queryByText('VIP note')).not.toBeInTheDocument());
  });

  it('shows a sub-form row field by a condition on the row and on the record', async () => {
    const record: RecordData = {
      _id: 'r1',
      _version: 1,
      name: 'Acme',
      level: 'A',
      items: [
        { _id: 'i1', product: 'Bolt', qty: 20 },
        { _id: 'i2', product: 'Nut', qty: 5 },
      ],
    };
    renderForm({ record });
    const rowOf = (product: string) => screen.getAllByRole('row').find((row) => within(row).queryByDisplayValue(product))!;
    expect(within(rowOf('Bolt')).getByRole('checkbox')).toBeInTheDocument();
    expect(within(rowOf('Nut')).queryByRole('checkbox')).not.toBeInTheDocument();
    await chooseOption('level', 'Regular');
    await waitFor(() => expect(within(rowOf('Bolt')).queryByRole('checkbox')).not.toBeInTheDocument());
  });

  it('does not send a field its condition hides', async () => {
    const record: RecordData = { _id: 'r1', _version: 1, name: 'Acme', level: 'B', vip_note: 'old' };
    const { onSubmit } = renderForm({ record });
    await userEvent.type(within(field('name')).getByRole('textbox'), '!');
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).not.toHaveProperty('vip_note');
  });

  it('moves on with Enter and saves with Ctrl+Enter', async () => {
    const { onSubmit } = renderForm();
    const name = within(field('name')).getByRole('textbox');
    await userEvent.type(name, 'Acme{Enter}');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(within(field('notes')).getByRole('textbox')).toHaveFocus();
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
  });

  it('asks to reload when someone else saved first', async () => {
    const onReload = vi.fn();
    const record: RecordData = { _id: 'r1', _version: 2, name: 'Acme' };
    const onSubmit = vi.fn(async () => {
      throw new ApiError(409, { status: 409, code: 'version_conflict', title: 'Version conflict' });
    });
    renderWithApp(
      <RecordForm app={crmApp} form={customerForm} record={record} onSubmit={onSubmit} onSaved={vi.fn()} onCancel={vi.fn()} onReload={onReload} />,
    );
    fireEvent.change(within(field('name')).getByRole('textbox'), { target: { value: 'Acme 2' } });
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByText(/Someone else saved this record/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalled();
  });

  it('adds and removes sub-form rows', async () => {
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: /Add row/ }));
    await userEvent.click(screen.getByRole('button', { name: /Add row/ }));
    expect(within(field('items')).getAllByRole('button', { name: 'Remove row' })).toHaveLength(2);
    await userEvent.click(within(field('items')).getAllByRole('button', { name: 'Remove row' })[0]);
    expect(within(field('items')).getAllByRole('button', { name: 'Remove row' })).toHaveLength(1);
  });
});
