import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useRecordPages } from '../api/queries';
import type { RecordData } from '../api/types';
import '../fields';
import { mockFetch, reply } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { columnExpression, kanbanColumns } from './kanbanModel';
import { KanbanView } from './KanbanView';
import { holdPatches, searchOf } from './testing';
import { useCardMove } from './useCardMove';

afterEach(() => vi.unstubAllGlobals());

const LIST = '/api/v1/apps/crm/forms/customer/records';
const level = customerForm.fields.find((f) => f.key === 'level')!;
const record = (n: number, lvl: string | null): RecordData => ({
  _id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  _version: 3,
  name: `Customer ${n}`,
  level: lvl,
  employees: n * 10,
});

/** The lane a list request asks for, from its filter: "A", "B" or "empty". */
function laneOf(url: string): string {
  const filter = searchOf(url).get('filter') ?? '';
  if (filter.includes('"is_empty"')) return 'empty';
  return /"level"\},"(\w+)"/.exec(filter)?.[1] ?? '?';
}

describe('KanbanView', () => {
  it('shows a lane per option plus "not set", with counts, cards and load more per lane', async () => {
    const { calls } = mockFetch({
      [`GET ${LIST}`]: ({ url }) => {
        const lane = laneOf(url);
        if (lane === 'A') return searchOf(url).get('cursor') ? { items: [record(3, 'A')], next_cursor: null } : { items: [record(1, 'A')], next_cursor: 'more' };
        if (lane === 'B') return { items: [record(2, 'B')], next_cursor: null };
        return { items: [], next_cursor: null };
      },
      [`GET ${LIST}/count`]: ({ url }) => ({ count: { A: 2, B: 1 }[laneOf(url)] ?? 0, exact: true }),
    });
    const onOpen = vi.fn();
    renderWithApp(
      <KanbanView app="crm" form={customerForm} group={level} columns={['name', 'employees']} expression={{ '>': [{ var: 'employees' }, 0] }} sort="-employees" canMove onOpen={onOpen} />,
    );
    const laneA = await screen.findByRole('region', { name: 'Key account' });
    expect(await within(laneA).findByText('Customer 1')).toBeInTheDocument();
    expect(await within(screen.getByRole('region', { name: 'Regular' })).findByText('Customer 2')).toBeInTheDocument();
    expect(await within(screen.getByRole('region', { name: 'Not set' })).findByText('No records')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByTestId('kanban-count-A')).getByText('2')).toBeInTheDocument());
    // every lane keeps the list's filter and sort
    const lists = calls.filter((c) => c.url.startsWith(LIST + '?'));
    expect(lists.every((c) => searchOf(c.url).get('sort') === '-employees' && searchOf(c.url).get('filter')!.includes('"employees"'))).toBe(true);

    await userEvent.click(screen.getByTestId('kanban-more-A'));
    expect(await within(laneA).findByText('Customer 3')).toBeInTheDocument();
    expect(calls.some((c) => laneOf(c.url) === 'A' && searchOf(c.url).get('cursor') === 'more')).toBe(true);

    // a card is a keyboard-reachable button: Enter opens the record
    const card = screen.getByTestId(`kanban-card-${record(2, 'B')._id}`);
    expect(card).toHaveAttribute('aria-roledescription', 'movable card');
    expect(card).toHaveAttribute('tabindex', '0');
    fireEvent.keyDown(card, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: 'Customer 2' }));
  });

  it('starts a new record in a lane with its value', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [], next_cursor: null }, [`GET ${LIST}/count`]: { count: 0, exact: true } });
    const onCreate = vi.fn();
    renderWithApp(<KanbanView app="crm" form={customerForm} group={level} columns={[]} expression={null} sort="" canMove onOpen={vi.fn()} onCreate={onCreate} />);
    await userEvent.click(await screen.findByRole('button', { name: 'New record in Regular' }));
    expect(onCreate).toHaveBeenCalledWith('B');
    await userEvent.click(screen.getByTestId('kanban-new-__empty__'));
    expect(onCreate).toHaveBeenLastCalledWith(null);
  });

  it("opens a card on a click on it, and follows a related record's link on it instead", async () => {
    const form = { ...customerForm, fields: [...customerForm.fields, { key: 'parent', type: 'relation', target: 'customer', label: { en: 'Parent' } }] };
    const child = { ...record(1, 'A'), parent: record(2, 'B')._id, _titles: { parent: 'Customer 2' } };
    mockFetch({ [`GET ${LIST}`]: ({ url }) => ({ items: laneOf(url) === 'A' ? [child] : [], next_cursor: null }), [`GET ${LIST}/count`]: { count: 1, exact: true } });
    const onOpen = vi.fn();
    const { router } = renderWithApp(<KanbanView app="crm" form={form} group={level} columns={['parent']} expression={null} sort="" canMove onOpen={onOpen} />, {
      routes: [{ path: '/apps/:app/forms/:form/records/:id', element: <p>the related record</p> }],
    });
    const card = await screen.findByTestId(`kanban-card-${child._id}`);
    const link = await within(card).findByRole('link', { name: 'Customer 2' });
    // Enter on the focused link is the link's, not the card's
    fireEvent.keyDown(link, { key: 'Enter' });
    expect(onOpen).not.toHaveBeenCalled();
    await userEvent.click(link);
    expect(onOpen).not.toHaveBeenCalled();
    expect(router.state.location.pathname).toBe(`/apps/crm/forms/customer/records/${record(2, 'B')._id}`);
  });

  it('opens a card on a click elsewhere on it', async () => {
    mockFetch({ [`GET ${LIST}`]: ({ url }) => ({ items: laneOf(url) === 'A' ? [record(1, 'A')] : [], next_cursor: null }), [`GET ${LIST}/count`]: { count: 1, exact: true } });
    const onOpen = vi.fn();
    renderWithApp(<KanbanView app="crm" form={customerForm} group={level} columns={['employees']} expression={null} sort="" canMove onOpen={onOpen} />);
    await userEvent.click(await screen.findByText('Customer 1'));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: 'Customer 1' }));
  });

  it('cannot drag without the edit permission', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [record(1, 'A')], next_cursor: null }, [`GET ${LIST}/count`]: { count: 1, exact: true } });
    renderWithApp(<KanbanView app="crm" form={customerForm} group={level} columns={[]} expression={null} sort="" canMove={false} onOpen={vi.fn()} />);
    const cards = await screen.findAllByTestId(`kanban-card-${record(1, 'A')._id}`);
    expect(cards[0]).not.toHaveAttribute('aria-roledescription');
  });
});

const lanes = kanbanColumns(level, (value) => value.en, 'Not set');
const filters = new Map(lanes.map((lane) => [lane.id, JSON.stringify(columnExpression(null, 'level', lane))]));

/** Two lanes of the cache and a button that moves Customer 1 to "B". */
function MoveHarness() {
  const a = useRecordPages('crm', 'customer', filters.get('A')!, '');
  const b = useRecordPages('crm', 'customer', filters.get('B')!, '');
  const move = useCardMove({ app: 'crm', form: 'customer', group: 'level', lanes, filters, sort: '' });
  const names = (pages: typeof a) => (pages.data?.pages.flatMap((p) => p.items) ?? []).map((r) => r.name as string).join(',');
  return (
    <div>
      <output data-testid="lane-A">{names(a)}</output>
      <output data-testid="lane-B">{names(b)}</output>
      <button onClick={() => void move(record(1, 'A'), lanes[1])}>move</button>
    </div>
  );
}

describe('moving a card', () => {
  const lists = {
    [`GET ${LIST}`]: ({ url }: { url: string }) => (laneOf(url) === 'A' ? { items: [record(1, 'A')], next_cursor: null } : { items: [], next_cursor: null }),
  };

  it('moves at once and saves the new value with the version', async () => {
    const { calls } = mockFetch({ ...lists, [`PATCH ${LIST}/${record(1, 'A')._id}`]: { ...record(1, 'B'), _version: 4 } });
    const { release } = holdPatches();
    renderWithApp(<MoveHarness />);
    await waitFor(() => expect(screen.getByTestId('lane-A')).toHaveTextContent('Customer 1'));
    await userEvent.click(screen.getByRole('button', { name: 'move' }));
    // before the server answers, the card is already in its new lane
    await waitFor(() => expect(screen.getByTestId('lane-B')).toHaveTextContent('Customer 1'));
    expect(screen.getByTestId('lane-A')).toHaveTextContent('');
    act(() => release());
    expect(await screen.findByText('Moved to Regular')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ data: { level: 'B' }, _version: 3 });
  });

  it('goes back and says why when someone saved the record first', async () => {
    mockFetch({ ...lists, [`PATCH ${LIST}/${record(1, 'A')._id}`]: reply(409, { status: 409, code: 'version_conflict', detail: 'stale' }) });
    renderWithApp(<MoveHarness />);
    await waitFor(() => expect(screen.getByTestId('lane-A')).toHaveTextContent('Customer 1'));
    await userEvent.click(screen.getByRole('button', { name: 'move' }));
    expect(await screen.findByText(/Someone changed this record meanwhile/)).toBeInTheDocument();
    expect(screen.getByTestId('lane-A')).toHaveTextContent('Customer 1');
    expect(screen.getByTestId('lane-B')).toHaveTextContent('');
  });
});
