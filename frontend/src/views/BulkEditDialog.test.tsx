import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordData } from '../api/types';
import '../fields';
import { mockFetch } from '../test/fetchMock';
import { crmApp, customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { BulkEditDialog } from './BulkEditDialog';

afterEach(() => vi.unstubAllGlobals());

const BULK = '/api/v1/apps/crm/forms/customer/records/bulk';
const rec = (n: number): RecordData => ({ _id: `00000000-0000-0000-0000-00000000000${n}`, _version: n + 1, name: `Customer ${n}` });
const records = [rec(1), rec(2), rec(3)];

function renderDialog(readonly: string[] = []) {
  const onDone = vi.fn();
  const onClose = vi.fn();
  renderWithApp(<BulkEditDialog app={crmApp} form={customerForm} records={records} readonly={readonly} open onClose={onClose} onDone={onDone} />);
  return { onDone, onClose };
}

async function pickField(label: string) {
  fireEvent.mouseDown(within(screen.getByTestId('bulk-edit-field')).getByRole('combobox'));
  const choices = await screen.findAllByTitle(label);
  fireEvent.click(choices[choices.length - 1]);
}

describe('BulkEditDialog', () => {
  it('sets one field on every selected record with its version', async () => {
    const { calls } = mockFetch({
      [`POST ${BULK}`]: { ok: true, counts: { updated: 3, failed: 0 }, update: records.map((r, index) => ({ index, ok: true, _id: r._id })) },
    });
    const { onDone, onClose } = renderDialog();
    expect(screen.getByText('Edit 3 records')).toBeInTheDocument();
    await pickField('Employees');
    const value = within(await screen.findByTestId('bulk-edit-value')).getByRole('spinbutton');
    await userEvent.type(value, '42');
    await userEvent.click(screen.getByTestId('bulk-edit-submit'));
    expect(await screen.findByText('3 records changed')).toBeInTheDocument();
    expect(calls[0].body).toEqual({
      mode: 'per_row',
      update: records.map((r) => ({ _id: r._id, _version: r._version, data: { employees: 42 } })),
    });
    expect(onDone).toHaveBeenCalled();
    expect(onClose).toHaveBeenCalled();
  });

  it('lists the records the server refused, with its reason', async () => {
    mockFetch({
      [`POST ${BULK}`]: {
        ok: false,
        counts: { updated: 2, failed: 1 },
        update: [
          { index: 0, ok: true },
          { index: 1, ok: false, errors: [{ path: 'update[1]._version', code: 'version_conflict', message: 'Someone saved it first' }] },
          { index: 2, ok: true },
        ],
      },
    });
    const { onClose } = renderDialog();
    await pickField('Level');
    fireEvent.mouseDown(within(await screen.findByTestId('bulk-edit-value')).getByRole('combobox'));
    const option = await screen.findAllByTitle('Key account');
    fireEvent.click(option[option.length - 1]);
    await userEvent.click(screen.getByTestId('bulk-edit-submit'));
    const failures = await screen.findByTestId('bulk-edit-failures');
    expect(within(failures).getByText('Customer 2')).toBeInTheDocument();
    expect(within(failures).getByText('Someone saved it first')).toBeInTheDocument();
    expect(await screen.findByText('2 changed, 1 failed')).toBeInTheDocument(); // a notice, rendered a tick later
    expect(onClose).not.toHaveBeenCalled();
  });

  it('does not offer read-only fields', async () => {
    mockFetch({});
    renderDialog(['level', 'employees']);
    fireEvent.mouseDown(within(screen.getByTestId('bulk-edit-field')).getByRole('combobox'));
    await screen.findAllByTitle('Name');
    expect(screen.queryByTitle('Level')).not.toBeInTheDocument();
    expect(screen.queryByTitle('Employees')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('bulk-edit-submit'));
    await waitFor(() => expect(screen.getByTestId('bulk-edit-submit')).toBeDisabled());
  });
});
