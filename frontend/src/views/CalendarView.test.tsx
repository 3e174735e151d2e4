import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../fields';
import { mockFetch } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { CalendarView, daysOf } from './CalendarView';
import { searchOf } from './testing';

afterEach(() => vi.unstubAllGlobals());

const LIST = '/api/v1/apps/crm/forms/customer/records';
const since = customerForm.fields.find((f) => f.key === 'since')!;
const rec = (n: number, day: string) => ({ _id: `00000000-0000-0000-0000-00000000000${n}`, _version: 1, name: `Customer ${n}`, since: day });

function renderCalendar(canCreate = true) {
  const onOpen = vi.fn();
  const onCreate = vi.fn();
  const result = renderWithApp(
    <CalendarView app="crm" form={customerForm} dateField={since} expression={{ '==': [{ var: 'level' }, 'A'] }} canCreate={canCreate} onOpen={onOpen} onCreate={onCreate} initialMonth={dayjs('2026-11-01')} />,
  );
  return { ...result, onOpen, onCreate };
}

describe('CalendarView', () => {
  it('fetches only the visible weeks and places records on their days', async () => {
    const { calls } = mockFetch({ [`GET ${LIST}`]: { items: [rec(1, '2026-11-20'), rec(2, '2026-11-20'), rec(3, '2026-11-03')], next_cursor: null } });
    const { onOpen } = renderCalendar();
    const day = await screen.findByTestId('calendar-day-2026-11-20');
    expect(within(day).getByText('Customer 1')).toBeInTheDocument();
    expect(within(day).getByText('Customer 2')).toBeInTheDocument();
    // weeks start on Monday in English too: 1 November 2026 is a Sunday, so the grid is Oct 26 .. Dec 6
    const filter = JSON.parse(searchOf(calls[0].url).get('filter')!) as unknown;
    expect(filter).toEqual({
      and: [{ '==': [{ var: 'level' }, 'A'] }, { and: [{ '>=': [{ var: 'since' }, '2026-10-26'] }, { '<': [{ var: 'since' }, '2026-12-07'] }] }],
    });
    const heads = Array.from(document.querySelectorAll('.ant-picker-content thead th')).map((th) => th.textContent);
    expect(heads[0]).toBe('Mo');
    expect(heads[6]).toBe('Su');
    expect(searchOf(calls[0].url).get('sort')).toBe('since');
    await userEvent.click(within(day).getByText('Customer 2'));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: 'Customer 2' }));
  });

  it('lists a clicked day and creates a record on it', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [rec(3, '2026-11-03')], next_cursor: null } });
    const { onCreate } = renderCalendar();
    await screen.findByTestId('calendar-day-2026-11-03');
    fireEvent.click(screen.getByTitle('2026-11-03'));
    const agenda = screen.getByTestId('calendar-agenda');
    await waitFor(() => expect(within(agenda).getByText('Customer 3')).toBeInTheDocument());
    fireEvent.click(screen.getByTitle('2026-11-05'));
    expect(await within(agenda).findByText('Nothing on this day.')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('calendar-new'));
    expect(onCreate).toHaveBeenCalledWith('2026-11-05');
  });

  it('offers no "New" without the create permission', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [], next_cursor: null } });
    renderCalendar(false);
    expect(await screen.findByText('Nothing on this day.')).toBeInTheDocument();
    expect(screen.queryByTestId('calendar-new')).not.toBeInTheDocument();
  });

  it('shows a record on every day from its date to its end field', async () => {
    const { calls } = mockFetch({ [`GET ${LIST}`]: { items: [{ ...rec(4, '2026-11-09'), next_call: '2026-11-11T10:00:00Z' }], next_cursor: null } });
    const nextCall = customerForm.fields.find((f) => f.key === 'next_call')!;
    renderWithApp(<CalendarView app="crm" form={customerForm} dateField={since} endField={nextCall} expression={null} canCreate onOpen={vi.fn()} onCreate={vi.fn()} initialMonth={dayjs('2026-11-01')} />);
    for (const day of ['2026-11-09', '2026-11-10', '2026-11-11']) {
      expect(within(await screen.findByTestId(`calendar-day-${day}`)).getByText('Customer 4')).toBeInTheDocument();
    }
    expect(screen.queryByTestId('calendar-day-2026-11-12')).not.toBeInTheDocument();
    // a record that started before the grid but ends in it is fetched too
    expect(JSON.parse(searchOf(calls[0].url).get('filter')!)).toEqual({
      and: [{ or: [{ '>=': [{ var: 'since' }, '2026-10-26'] }, { '>=': [{ var: 'next_call' }, '2026-10-26'] }] }, { '<': [{ var: 'since' }, '2026-12-07'] }],
    });
    expect(daysOf('2026-11-30', '2026-11-29')).toEqual(['2026-11-30']);
  });
});
