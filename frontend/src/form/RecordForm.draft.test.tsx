import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import { fieldBox, l, renderFields } from '../fields/types/fieldTestKit';
import { clearDrafts, draftKey, pruneDrafts, readDraft } from './useDraftAutosave';

const FIELDS = [
  { key: 'name', type: 'text', label: l('Name', '名称'), required: true },
  { key: 'since', type: 'date', label: l('Since', '日期') },
];
const NEW_KEY = draftKey({ user: 'u1', app: 'demo', form: 'visit' });
const EDIT_KEY = draftKey({ user: 'u1', app: 'demo', form: 'visit', record: 'r1' });
const RECORD = { _id: 'r1', _version: 4, name: 'Acme', since: '2024-03-05' };

/** Ends the typing pause at once: the page going away writes what is pending (no timers in tests). */
const leavePage = () => fireEvent(window, new Event('pagehide'));
const typeName = async (value: string) => {
  const input = await within(await screen.findByTestId('field-name')).findByRole('textbox');
  fireEvent.change(input, { target: { value } });
};
const seed = (key: string, data: Record<string, unknown>, extra: object = {}) =>
  localStorage.setItem(key, JSON.stringify({ savedAt: '2026-11-20T08:30:00Z', data, ...extra }));

beforeEach(() => localStorage.clear());
afterEach(() => localStorage.clear());

describe('draft autosave', () => {
  it('keeps what a signed-in user typed into a new record, in API shape', async () => {
    renderFields(FIELDS, { signedIn: true });
    await typeName('Half typed');
    fireEvent.change(within(fieldBox('since')).getByRole('textbox'), { target: { value: '2026-11-24' } });
    leavePage();
    expect(readDraft(NEW_KEY)?.data).toMatchObject({ name: 'Half typed' });
  });

  it('offers the draft when the form is opened again, restores it and forgets it once saved', async () => {
    seed(NEW_KEY, { name: 'From last time', since: '2026-11-01' });
    const { onSubmit } = renderFields(FIELDS, { signedIn: true });
    const offer = await screen.findByTestId('draft-offer');
    expect(offer).toHaveTextContent(/You have an unsaved draft of this form from .*2026/);
    await userEvent.click(screen.getByTestId('draft-restore'));
    expect(within(fieldBox('name')).getByRole('textbox')).toHaveValue('From last time');
    expect(within(fieldBox('since')).getByRole('textbox')).toHaveValue('2026-11-01');
    expect(screen.queryByTestId('draft-offer')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).toEqual({ name: 'From last time', since: '2026-11-01' });
    leavePage();
    expect(readDraft(NEW_KEY)).toBeNull();
  });

  it('restores sub-form rows exactly as the draft has them: a default the user emptied stays empty', async () => {
    // a new row takes rate = the record's discount; the user emptied it before leaving
    const fields = [
      { key: 'discount', type: 'percent', label: l('Discount', '折扣') },
      {
        key: 'lines',
        type: 'subform',
        label: l('Lines', '明细'),
        fields: [
          { key: 'quantity', type: 'number', label: l('Quantity', '数量') },
          { key: 'rate', type: 'percent', label: l('Rate', '折扣率'), default_formula: { var: 'discount' } },
          { key: 'note', type: 'text', label: l('Note', '备注'), default: 'standard' },
          { key: 'twice', type: 'formula', label: l('Twice', '两倍'), formula: { '*': [{ var: 'quantity' }, 2] }, result_type: 'number' },
        ],
      },
    ] as FieldDef[];
    seed(NEW_KEY, { discount: 0.9, lines: [{ quantity: 3, rate: null, note: null }] });
    const { onSubmit } = renderFields(fields, { signedIn: true });
    await userEvent.click(await screen.findByTestId('draft-restore'));
    expect(within(fieldBox('0.quantity')).getByRole('spinbutton')).toHaveValue('3');
    // its formulas are computed all the same
    await waitFor(() => expect(within(fieldBox('0.twice')).getByTestId('computed-twice')).toHaveTextContent('6'));
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).toEqual({ discount: 0.9, lines: [{ quantity: 3, rate: null, note: null }] });
  });

  it('throws the draft away on Discard and leaves the form as it was', async () => {
    seed(NEW_KEY, { name: 'Unwanted' });
    renderFields(FIELDS, { signedIn: true });
    await userEvent.click(await screen.findByTestId('draft-discard'));
    expect(screen.queryByTestId('draft-offer')).not.toBeInTheDocument();
    expect(within(fieldBox('name')).getByRole('textbox')).toHaveValue('');
    expect(readDraft(NEW_KEY)).toBeNull();
  });

  it('does not overwrite the offered draft while the user has not chosen', async () => {
    seed(NEW_KEY, { name: 'Precious' });
    renderFields(FIELDS, { signedIn: true });
    await screen.findByTestId('draft-offer');
    await typeName('Something else');
    leavePage();
    expect(readDraft(NEW_KEY)?.data).toEqual({ name: 'Precious' });
  });

  it("keeps an edit's draft per record and warns when the record changed since", async () => {
    seed(EDIT_KEY, { name: 'Acme Group', since: '2024-03-05' }, { version: 3 });
    const { onSubmit } = renderFields(FIELDS, { signedIn: true, record: RECORD });
    expect(await screen.findByTestId('draft-offer')).toHaveTextContent('The record has been saved by someone since');
    await userEvent.click(screen.getByTestId('draft-restore'));
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    // only what differs from the record as it is now
    expect(onSubmit.mock.calls[0][0]).toEqual({ name: 'Acme Group' });
  });

  it('offers nothing when the draft equals the record, and keeps no draft of unchanged values', async () => {
    seed(EDIT_KEY, { name: 'Acme', since: '2024-03-05' }, { version: 4 });
    renderFields(FIELDS, { signedIn: true, record: RECORD });
    await screen.findByTestId('field-name');
    expect(screen.queryByTestId('draft-offer')).not.toBeInTheDocument();
    await typeName('Acme 2');
    await typeName('Acme');
    leavePage();
    expect(readDraft(EDIT_KEY)).toBeNull();
  });

  it('keeps nothing without a signed-in user (a public fill page)', async () => {
    renderFields(FIELDS);
    await typeName('Anonymous');
    leavePage();
    expect(localStorage.length).toBe(0);
  });

  it('keeps nothing when the page turns autosave off', async () => {
    renderFields(FIELDS, { signedIn: true, autosave: false });
    await typeName('Not kept');
    leavePage();
    expect(localStorage.length).toBe(0);
  });

  it('forgets old drafts and a signed-out user\u2019s drafts', () => {
    localStorage.setItem(NEW_KEY, JSON.stringify({ savedAt: '2020-01-01T00:00:00Z', data: { name: 'old' } }));
    seed(EDIT_KEY, { name: 'recent' });
    pruneDrafts(Date.parse('2026-11-24T00:00:00Z'));
    expect(localStorage.getItem(NEW_KEY)).toBeNull();
    expect(localStorage.getItem(EDIT_KEY)).not.toBeNull();
    clearDrafts('u1');
    expect(localStorage.length).toBe(0);
  });
});
