import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { FieldDef, RecordData } from '../api/types';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { fieldType } from './registry';
import { fieldBox, l, renderFields, saveAndRead } from './types/fieldTestKit';

/** The test customer's name, level, tags and start date, and a time. */
const FIELDS: FieldDef[] = [
  ...['name', 'level', 'tags', 'since', 'revenue'].map((key) => customerForm.fields.find((field) => field.key === key)!),
  { key: 'at', type: 'time', label: l('At', '时间') },
];

/** A text field to tab from, and a condition that locks a field of a saved record (editable_when never holds). */
const NOTE: FieldDef = { key: 'note', type: 'text', label: l('Note', '备注') };
const LOCKED = { '==': [1, 2] };

const RECORD: RecordData = { _id: 'r1', _version: 1, name: 'Acme', level: 'B', tags: ['vip', 'new'], since: '2024-03-05', at: '09:30:00', revenue: 1234.5 };

/** The real antd control has mounted (its root carries no look-alike class). */
const isReal = (key: string) => fieldBox(key).querySelector('.lazy-control') === null;

describe('the light field frame', () => {
  it('labels the editor, marks it required and describes it by its help and errors', async () => {
    const { onSubmit } = renderFields(FIELDS);
    const name = screen.getByRole('textbox', { name: 'Name' });
    expect(name).toHaveAttribute('id', 'name');
    expect(name).toHaveAttribute('aria-required', 'true');
    expect(fieldBox('name').querySelector('label.ant-form-item-required')).not.toBeNull();
    expect(fieldBox('since').querySelector('label.ant-form-item-required')).toBeNull();
    expect(name).toHaveAccessibleDescription('As on the business licence');
    expect(name).not.toHaveAttribute('aria-invalid');

    await userEvent.click(screen.getByTestId('form-save'));
    const alert = await within(fieldBox('name')).findByRole('alert');
    expect(alert).toHaveTextContent('Name is required');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Name is required As on the business licence');
    expect(onSubmit).not.toHaveBeenCalled();

    await userEvent.type(name, 'Acme');
    await waitFor(() => expect(within(fieldBox('name')).queryByRole('alert')).not.toBeInTheDocument());
    expect(name).not.toHaveAttribute('aria-invalid');
  });
});

describe('controls mounted on first use', () => {
  it('show the value under the same accessible name before they mount', () => {
    renderFields(FIELDS, { record: RECORD });
    expect(screen.getByRole('combobox', { name: 'Level' })).toHaveAttribute('id', 'level');
    expect(fieldBox('level')).toHaveTextContent('Regular');
    expect(within(fieldBox('tags')).getByTitle('VIP')).toBeInTheDocument();
    expect(within(fieldBox('tags')).getByTitle('New')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Customer since' })).toHaveValue('2024-03-05');
    expect(screen.getByRole('textbox', { name: 'At' })).toHaveValue('09:30');
    expect(screen.getByRole('spinbutton', { name: 'Revenue' })).toHaveValue('1,234.50');
    expect(fieldBox('revenue')).toHaveTextContent('¥');
    expect(['level', 'tags', 'since', 'at', 'revenue'].some(isReal)).toBe(false);
  });

  it('swap in the real control when reached by keyboard, which keeps the focus and takes arrow keys', async () => {
    const { onSubmit } = renderFields(FIELDS, { record: RECORD });
    screen.getByRole('textbox', { name: 'Name' }).focus();
    await userEvent.tab();
    await waitFor(() => expect(isReal('level')).toBe(true));
    const level = screen.getByRole('combobox', { name: 'Level' });
    expect(level).toHaveFocus();
    // rc-select reads the legacy `which`, which user-event leaves 0: the key as a browser sends it
    fireEvent.keyDown(level, { key: 'ArrowDown', code: 'ArrowDown', keyCode: 40, which: 40 });
    const option = await screen.findByTitle('Key account');
    fireEvent.click(option);
    expect(await saveAndRead(onSubmit)).toEqual({ level: 'A' });
  });

  it('take the focus from the field before on a press, so keys typed at once cannot land there', () => {
    renderFields(FIELDS, { record: RECORD });
    const name = screen.getByRole('textbox', { name: 'Name' });
    name.focus();
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Level' }));
    expect(name).not.toHaveFocus();
  });

  it('open on a press, and a date picker takes over with the date and the focus', async () => {
    renderFields(FIELDS, { record: RECORD });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Level' }));
    expect(await screen.findByTitle('Key account')).toBeInTheDocument();

    screen.getByRole('textbox', { name: 'Customer since' }).focus();
    await waitFor(() => expect(isReal('since')).toBe(true));
    const since = screen.getByRole('textbox', { name: 'Customer since' });
    expect(since).toHaveFocus();
    expect(since).toHaveValue('2024-03-05');

    screen.getByRole('spinbutton', { name: 'Revenue' }).focus();
    await waitFor(() => expect(isReal('revenue')).toBe(true));
    const revenue = screen.getByRole('spinbutton', { name: 'Revenue' });
    expect(revenue).toHaveFocus();
    // being edited, InputNumber shows the digits as typed: the trailing zero comes back on blur
    expect((revenue as HTMLInputElement).value).toMatch(/^1,234\.50?$/);
  });
});

describe('drawn until reached for: number steps and rating stars', () => {
  const STARS: FieldDef[] = [{ key: 'score', type: 'rating', label: l('Score', '评分') }];

  it("draws a number's step buttons once the pointer comes over it, as antd shows them only then", () => {
    renderFields(FIELDS, { record: RECORD });
    const box = fieldBox('revenue');
    expect(box.querySelector('.ant-input-number-actions')).toBeNull();
    fireEvent.mouseEnter(box.querySelector('.lazy-control')!);
    expect(box.querySelectorAll('.ant-input-number-action')).toHaveLength(2);
    expect(isReal('revenue')).toBe(false);
  });

  it("draws a rating's stars with antd's roles, then a click on one sets it as Rate's click does", async () => {
    const { onSubmit } = renderFields(STARS, { record: { _id: 'r1', _version: 1, score: 2 } });
    const stars = within(fieldBox('score')).getAllByRole('radio');
    expect(stars.map((star) => star.getAttribute('aria-checked'))).toEqual(['true', 'true', 'false', 'false', 'false']);
    // antd's two star icons a star, decorative as the build makes antd's icons (scripts/decorative-icons.mjs)
    const icons = fieldBox('score').querySelectorAll('.anticon-star');
    expect(icons).toHaveLength(10);
    for (const icon of icons) expect(icon).toHaveAttribute('aria-hidden', 'true');
    expect(fieldBox('score').querySelector('.ant-rate')).toHaveAttribute('id', 'score');
    fireEvent.click(stars[3]);
    // the real Rate has taken over, with the value and the clicked star focused
    await waitFor(() => expect(within(fieldBox('score')).getAllByRole('radio')[3]).toHaveFocus());
    expect(within(fieldBox('score')).getAllByRole('radio')[3]).toHaveAttribute('aria-checked', 'true');
    expect(await saveAndRead(onSubmit)).toEqual({ score: 4 });
  });

  it('keeps the drawn stars under a press that comes before the hover has been drawn, so its click still lands', async () => {
    const { onSubmit } = renderFields(STARS, { record: { _id: 'r1', _version: 1, score: 2 } });
    const drawn = fieldBox('score').querySelector('ul')!;
    const star = within(fieldBox('score')).getAllByRole('radio')[3];
    // the pointer comes and presses at once (one batch: the hover's swap is not drawn yet)
    act(() => {
      fireEvent.mouseEnter(drawn);
      fireEvent.mouseDown(star);
    });
    expect(fieldBox('score').querySelector('ul')).toBe(drawn);
    fireEvent.click(star);
    expect(await saveAndRead(onSubmit)).toEqual({ score: 4 });
  });

  it("clears a rating when its own value is clicked again (Rate's allowClear)", async () => {
    const { onSubmit } = renderFields(STARS, { record: { _id: 'r1', _version: 1, score: 2 } });
    fireEvent.click(within(fieldBox('score')).getAllByRole('radio')[1]);
    // 0, as the real Rate's onChange sends it
    expect(await saveAndRead(onSubmit)).toEqual({ score: 0 });
  });

  it('mounts the real Rate when the pointer comes over the stars, and keeps the focus on the star tabbed to', async () => {
    renderFields(STARS, { record: { _id: 'r1', _version: 1, score: 3 } });
    const drawn = fieldBox('score').querySelector('ul')!;
    fireEvent.mouseEnter(drawn);
    await waitFor(() => expect(fieldBox('score').querySelector('ul')).not.toBe(drawn));
    cleanup();

    renderFields(STARS, { record: { _id: 'r1', _version: 1, score: 3 } });
    within(fieldBox('score')).getAllByRole('radio')[2].focus();
    await waitFor(() => expect(within(fieldBox('score')).getAllByRole('radio')[2]).toHaveFocus());
    expect(fieldBox('score').querySelector('ul')).toHaveAttribute('id', 'score');
  });

  it("mounts the real Rate on the keyboard's focus of the stars' list, which keeps the focus and takes arrow keys", async () => {
    const { onSubmit } = renderFields([NOTE, ...STARS], { record: { _id: 'r1', _version: 1, score: 3 } });
    const drawn = fieldBox('score').querySelector('ul')!;
    screen.getByRole('textbox', { name: 'Note' }).focus();
    await userEvent.tab();
    await waitFor(() => expect(fieldBox('score').querySelector('ul')).not.toBe(drawn));
    const list = fieldBox('score').querySelector('ul')!;
    await waitFor(() => expect(list).toHaveFocus());
    // rc-rate reads the legacy keyCode, as a browser sends it
    fireEvent.keyDown(list, { key: 'ArrowRight', code: 'ArrowRight', keyCode: 39, which: 39 });
    expect(await saveAndRead(onSubmit)).toEqual({ score: 4 });
  });

  it('draws a locked rating disabled, out of the tab order: neither the pointer nor a click wakes or sets it', () => {
    renderFields([NOTE, { ...STARS[0], editable_when: LOCKED }], { record: { _id: 'r1', _version: 1, note: 'x', score: 2 } });
    const drawn = fieldBox('score').querySelector('ul')!;
    expect(drawn).toHaveClass('ant-rate-disabled');
    expect(drawn).toHaveAttribute('tabindex', '-1');
    fireEvent.mouseEnter(drawn);
    fireEvent.click(within(fieldBox('score')).getAllByRole('radio')[3]);
    // a wake would have put the real Rate in its place
    expect(fieldBox('score').querySelector('ul')).toBe(drawn);
    expect(within(fieldBox('score')).getAllByRole('radio').map((star) => star.getAttribute('aria-checked'))).toEqual(['true', 'true', 'false', 'false', 'false']);
  });
});

describe('outside a record form (filters, bulk edit)', () => {
  it("mounts antd's Rate and Checkbox at once", () => {
    const onRate = vi.fn();
    const Stars = fieldType('rating').Input!;
    const Box = fieldType('checkbox').Input!;
    renderWithApp(
      <>
        <Stars field={{ key: 'score', type: 'rating', label: l('Score', '评分') }} id="score" value={2} onChange={onRate} />
        <Box field={{ key: 'ok', type: 'checkbox', label: l('OK', '好'), placeholder: l('OK', '好') }} id="ok" value={false} />
      </>,
    );
    // the drawn list takes no keys: this one is Rate's
    fireEvent.keyDown(document.getElementById('score')!, { key: 'ArrowRight', code: 'ArrowRight', keyCode: 39, which: 39 });
    expect(onRate).toHaveBeenCalledWith(3);
    // antd's own box, outside a form item (the drawn one is always drawn in one)
    const box = screen.getByRole('checkbox', { name: 'OK' }).closest('label')!;
    expect(box).toHaveClass('ant-checkbox-wrapper');
    expect(box).not.toHaveClass('ant-checkbox-wrapper-in-form-item');
  });
});

describe('the field frame', () => {
  it("holds an editor that fills antd's control box straight in the control column, and others in antd's box", () => {
    renderFields([...FIELDS, { key: 'ok', type: 'checkbox', label: l('OK', '好') }], { record: RECORD });
    for (const key of ['name', 'level', 'since', 'revenue']) {
      expect(fieldBox(key).querySelector('.ant-form-item-control-input')).toBeNull();
      expect(fieldBox(key).querySelector('.ant-form-item-control > :is(input, .lazy-control)')).not.toBeNull();
    }
    expect(fieldBox('ok').querySelector('.ant-form-item-control-input > .ant-form-item-control-input-content .ant-checkbox-wrapper')).not.toBeNull();
    // the item is antd's row itself: label and control are its children
    expect([...fieldBox('name').children].map((child) => child.className)).toEqual(['ant-form-item-label field-frame__label', 'ant-form-item-control field-frame__control']);
  });
});

describe('a checkbox drawn until reached for', () => {
  const BOX: FieldDef[] = [{ key: 'ok', type: 'checkbox', label: l('Confirmed', '已确认') }];
  const box = () => screen.getByRole('checkbox', { name: 'Confirmed' });

  it('toggles by a click straight on the drawn box (a tap, a test driver)', async () => {
    const { onSubmit } = renderFields(BOX, { record: { _id: 'r1', _version: 1, ok: false } });
    expect(box()).not.toBeChecked();
    expect(fieldBox('ok').querySelector('label.ant-checkbox-wrapper-in-form-item > span.ant-checkbox > input.ant-checkbox-input')).toBe(box());
    fireEvent.mouseDown(box());
    fireEvent.click(box());
    expect(box()).toBeChecked();
    expect(await saveAndRead(onSubmit)).toEqual({ ok: true });
  });

  it("toggles once by a person's click (hover, press, click), and hands over to antd's box on the keyboard's focus, which keeps it and takes Space", async () => {
    const { onSubmit } = renderFields(BOX, { record: { _id: 'r1', _version: 1, ok: true } });
    const clicked = box();
    await userEvent.click(clicked);
    expect(box()).not.toBeChecked();
    // the click focuses the box, as on any checkbox, without the swap: Space goes on from there
    expect(box()).toBe(clicked);
    expect(box()).toHaveFocus();
    await userEvent.keyboard(' ');
    expect(box()).toBeChecked();
    cleanup();

    renderFields(BOX, { record: { _id: 'r1', _version: 1, ok: false } });
    const drawn = box();
    await userEvent.tab(); // the keyboard brings the focus (:focus-visible)
    await waitFor(() => expect(box()).not.toBe(drawn));
    await waitFor(() => expect(box()).toHaveFocus());
    await userEvent.keyboard(' ');
    expect(box()).toBeChecked();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows antd's click wave on the drawn box once a click that checks it, with no antd Checkbox mounted", async () => {
    renderFields([{ ...BOX[0], placeholder: l('Yes, confirmed', '是') }], { record: { _id: 'r1', _version: 1, ok: false } });
    const box = () => within(fieldBox('ok')).getByRole('checkbox');
    const drawn = box();
    // a click on the caption is two clicks through the box's label: the caption's, then the input's
    await userEvent.click(screen.getByText('Yes, confirmed'));
    expect(box()).toBeChecked();
    // the wave waits for the next frame, as antd's: one frame later it is there, once
    await new Promise(requestAnimationFrame);
    const target = drawn.closest('.ant-wave-target')!;
    expect(target.querySelectorAll(':scope > div')).toHaveLength(1);
    expect(box()).toBe(drawn);
  });

  it('draws a locked checkbox disabled (nothing can focus or toggle it)', () => {
    renderFields([NOTE, { ...BOX[0], editable_when: LOCKED }], { record: { _id: 'r1', _version: 1, note: 'x', ok: true } });
    expect(box()).toBeDisabled();
    expect(box()).toBeChecked();
    expect(box().closest('label')).toHaveClass('ant-checkbox-wrapper-disabled');
    expect(box().closest('label')!.querySelector('.ant-checkbox')).toHaveClass('ant-checkbox-disabled');
  });
});
