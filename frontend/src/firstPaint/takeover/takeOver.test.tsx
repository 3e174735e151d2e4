import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldDef, RecordData } from '../../api/types';
import { fieldBox, l, renderFields, saveAndRead } from '../../fields/types/fieldTestKit';
import { draftKey, readDraft } from '../../form/useDraftAutosave';
import { captureFirstPaint, type CaptureWindow } from './capture';
import { fieldPath, typedNumber, typedValues } from './takeOver';

const win = window as CaptureWindow;

const FIELDS = [
  { key: 'name', type: 'text', label: l('Name', '名称') },
  { key: 'amount', type: 'money', label: l('Amount', '金额'), currency: 'CNY' },
  { key: 'stage', type: 'select', label: l('Stage', '阶段'), options: [{ value: 'lead', label: l('Lead', '线索') }] },
  { key: 'notes', type: 'textarea', label: l('Notes', '备注') },
  { key: 'vip', type: 'checkbox', label: l('VIP', '重要客户') },
  {
    key: 'lines',
    type: 'subform',
    label: l('Lines', '明细'),
    fields: [
      { key: 'quantity', type: 'number', label: l('Quantity', '数量') },
      { key: 'note', type: 'text', label: l('Note', '说明') },
    ],
  },
] as FieldDef[];

const RECORD = {
  _id: 'r1',
  _version: 4,
  name: 'Acme',
  amount: 1200,
  stage: 'lead',
  notes: 'Met in May',
  lines: [{ _id: 'l1', quantity: 2, note: 'first' }],
} as RecordData;

/**
 * The edit page as the server draws it (docs/first-paint.md §2), by hand and cut to the fields:
 * ids prefixed `fp-`, each cell's test id; a sub-form's cells once as the contract writes them
 * (`field-lines.0.quantity`) and once as the app draws them inside the list (`field-0.note`).
 */
const FIRST_PAINT = `
<div id="first-paint" data-first-paint="demo/visit/r1">
  <form>
    <div class="field-item" data-testid="field-name"><label for="fp-name">Name</label><input id="fp-name" class="ant-input" value="Acme"></div>
    <div class="field-item" data-testid="field-amount">
      <div class="ant-input-number lazy-control"><div class="ant-input-number-prefix">¥</div><input id="fp-amount" role="spinbutton" value="1,200.00"></div>
    </div>
    <div class="field-item" data-testid="field-stage">
      <div class="ant-select lazy-control"><input id="fp-stage" role="combobox" value=""><span>Lead</span></div>
    </div>
    <div class="field-item" data-testid="field-notes"><textarea id="fp-notes">Met in May</textarea></div>
    <div class="field-item" data-testid="field-vip"><label class="ant-checkbox-wrapper"><span class="ant-checkbox"><input id="fp-vip" type="checkbox" class="ant-checkbox-input"></span></label></div>
    <div class="field-item subform" data-testid="field-lines">
      <table><tbody><tr>
        <td><div data-testid="field-lines.0.quantity"><div class="ant-input-number lazy-control"><input id="fp-lines_0_quantity" role="spinbutton" value="2"></div></div></td>
        <td><div data-testid="field-0.note"><input id="fp-lines_0_note" value="first"></div></td>
      </tr></tbody></table>
    </div>
  </form>
</div>`;

const EDIT_DRAFT = draftKey({ user: 'u1', app: 'demo', form: 'visit', record: 'r1' });

/** Puts the first paint and the app's root in the page, runs index.html's script over them. */
function serveFirstPaint() {
  document.body.insertAdjacentHTML('afterbegin', `${FIRST_PAINT}<div id="root" data-first-paint=""></div>`);
  captureFirstPaint(win);
}

/** Types into a first paint's field as the browser does: a new value, the caret after it. */
function typeInto(id: string, text: string) {
  const field = document.getElementById(id) as HTMLInputElement;
  field.focus();
  field.value = text;
  field.setSelectionRange(text.length, text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  return field;
}

beforeEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.app;
});

afterEach(() => {
  win.__tesseraFirstPaint?.stop();
  delete win.__tesseraFirstPaint;
  document.getElementById('first-paint')?.remove();
  document.getElementById('root')?.remove();
  localStorage.clear();
});

describe('the record form taking a first paint over', () => {
  it("carries what was typed into the form's values, dirty, and gives the focus and caret back", async () => {
    serveFirstPaint();
    typeInto('fp-amount', '1,234.5');
    typeInto('fp-lines_0_quantity', '3');
    typeInto('fp-lines_0_note', 'second');
    // a select's look-alike takes no typing (the script blocks it): whatever is there is not kept
    (document.getElementById('fp-stage') as HTMLInputElement).value = 'zzz';
    const name = typeInto('fp-name', 'Acme Ltd');
    name.setSelectionRange(4, 4);
    fireEvent.mouseUp(name);
    let ready = 0;
    window.addEventListener('tessera:ready', () => (ready += 1));

    const { onSubmit } = renderFields(FIELDS, { record: RECORD, signedIn: true });

    await waitFor(() => expect(document.getElementById('first-paint')).toBeNull());
    expect(document.getElementById('root')).not.toHaveAttribute('data-first-paint');
    expect(document.documentElement.dataset.app).toBe('ready');
    expect(ready).toBe(1);
    // the values, in the app's editors
    expect(within(fieldBox('name')).getByRole('textbox')).toHaveValue('Acme Ltd');
    expect(within(fieldBox('0.note')).getByRole('textbox')).toHaveValue('second');
    // the focus and the caret, on the app's field of the same id
    await waitFor(() => expect(document.activeElement?.id).toBe('name'));
    expect(document.activeElement).toBe(within(fieldBox('name')).getByRole('textbox'));
    expect(name).not.toBeInTheDocument();
    expect((document.activeElement as HTMLInputElement).selectionStart).toBe(4);
    expect((document.activeElement as HTMLInputElement).selectionEnd).toBe(4);
    // dirty: the unsaved-changes guard holds the page, the draft has the typed values
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true);
    fireEvent(window, new Event('pagehide'));
    expect(readDraft(EDIT_DRAFT)?.data).toMatchObject({ name: 'Acme Ltd', amount: 1234.5, stage: 'lead' });
    // and saving sends them, as typed into the app's own editors
    expect(await saveAndRead(onSubmit)).toEqual({ name: 'Acme Ltd', amount: 1234.5, lines: [{ _id: 'l1', quantity: 3, note: 'second' }] });
  });

  it("gives the focus back to a number being typed into: the app's real number editor takes it", async () => {
    serveFirstPaint();
    const amount = typeInto('fp-amount', '99');
    amount.setSelectionRange(1, 1);
    fireEvent.keyUp(amount);
    renderFields(FIELDS, { record: RECORD, signedIn: true });
    await waitFor(() => expect(document.activeElement?.id).toBe('amount'));
    // InputNumber (the look-alike woke as the focus reached it), showing the typed number
    expect(document.activeElement).toHaveClass('ant-input-number-input');
    expect((document.activeElement as HTMLInputElement).value).toBe('99');
    expect((document.activeElement as HTMLInputElement).selectionStart).toBe(1);
  });

  it("presses a select again once the app is there: the press on its look-alike opens the app's", async () => {
    serveFirstPaint();
    fireEvent.mouseDown(document.getElementById('fp-stage')!);
    renderFields(FIELDS, { record: RECORD, signedIn: true });
    await waitFor(() => expect(document.getElementById('first-paint')).toBeNull());
    // the real Select mounts open, as a press on the app's look-alike makes it
    await waitFor(() => expect(within(fieldBox('stage')).getByRole('combobox')).toHaveAttribute('aria-expanded', 'true'));
  });

  it("clicks a checkbox again on the app's box: the first paint's does not toggle, the app's does, as a person's edit", async () => {
    serveFirstPaint();
    fireEvent.click(document.getElementById('fp-vip')!);
    const { onSubmit } = renderFields(FIELDS, { record: RECORD, signedIn: true });
    await waitFor(() => expect(within(fieldBox('vip')).getByRole('checkbox')).toBeChecked());
    expect(await saveAndRead(onSubmit)).toEqual({ vip: true });
  });

  it('on a page with no first paint changes nothing: not dirty, the values as loaded, no ready signal of its own', async () => {
    renderFields(FIELDS, { record: RECORD, signedIn: true });
    expect(await within(await screen.findByTestId('field-name')).findByRole('textbox')).toHaveValue('Acme');
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(false);
    // the app's first commit says it is ready (Root), not every form opened in it
    expect(document.documentElement.dataset.app).toBeUndefined();
    expect(document.activeElement).toBe(document.body);
  });
});

describe('the field path of a first paint cell', () => {
  const cell = (html: string) => {
    const box = document.createElement('div');
    box.innerHTML = html;
    return box.querySelector('input')!;
  };

  it('reads the test ids around the input, a sub-form row either way it is written', () => {
    expect(fieldPath(cell('<div data-testid="field-title"><input></div>'))).toEqual(['title']);
    expect(fieldPath(cell('<div data-testid="field-items.1.qty"><input></div>'))).toEqual(['items', 1, 'qty']);
    expect(fieldPath(cell('<div data-testid="field-items"><table><tr><td><div data-testid="field-1.qty"><input></div></td></tr></table></div>'))).toEqual(['items', 1, 'qty']);
    expect(fieldPath(cell('<div><input></div>'))).toBeNull();
  });

  it("reads typing in a sub-form's phone card too (its cells' ids prefixed fpm-), not under another prefix", () => {
    const paint = document.createElement('div');
    const row = (prefix: string) => `<div data-testid="field-0.note"><input id="${prefix}lines_0_note" value="first"></div>`;
    paint.innerHTML = `<div data-testid="field-lines"><div class="fp-desktop">${row('fp-')}</div><div class="fp-phone">${row('fpm-')}${row('fpx-')}</div></div>`;
    for (const id of ['fpm-lines_0_note', 'fpx-lines_0_note']) (paint.querySelector(`#${id}`) as HTMLInputElement).value = 'typed';
    expect(typedValues(paint, FIELDS)).toEqual([{ path: ['lines', 0, 'note'], value: 'typed' }]);
  });
});

describe('typed numbers', () => {
  it('are parsed as the number editors parse typing', () => {
    expect(typedNumber('1,234.5', true)).toEqual({ value: 1234.5 });
    expect(typedNumber('12。5', false)).toEqual({ value: 12.5 });
    expect(typedNumber('$ 1,200', false)).toEqual({ value: 1200 });
    expect(typedNumber('-3', false)).toEqual({ value: -3 });
    expect(typedNumber('', true)).toEqual({ value: null });
    expect(typedNumber('abc', false)).toBeUndefined();
    expect(typedNumber('¥12', true)).toBeUndefined();
  });
});
