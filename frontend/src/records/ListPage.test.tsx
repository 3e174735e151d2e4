import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Outlet } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDetail, RecordData } from '../api/types';
import type { AppContextValue } from '../shell/appContext';
import { mockFetch, reply } from '../test/fetchMock';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import ListPage from './ListPage';

afterEach(() => vi.unstubAllGlobals());

const LIST = '/api/v1/apps/crm/forms/customer/records';
const customer = (n: number): RecordData => ({ _id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`, _version: 1, name: `Customer ${n}`, level: n % 2 ? 'A' : 'B' });

/** renders ListPage under a layout route that gives it the app context, as AppLayout does */
function renderListRoute(deleteRecords = vi.fn(async () => undefined), app: AppDetail = crmApp, url = '/apps/crm/forms/customer') {
  const context: AppContextValue = { app, deleteRecords };
  const result = renderWithApp(<Outlet context={context} />, {
    url,
    path: '/',
    children: [
      { path: 'apps/:app/forms/:form', element: <ListPage /> },
      { path: 'apps/:app/forms/:form/records/:id', element: <p>the record</p> },
    ],
  });
  return { ...result, deleteRecords };
}

describe('ListPage', () => {
  it('pages on with the cursor, sorts by a header and searches', async () => {
    const { calls } = mockFetch({
      [`GET ${LIST}`]: ({ url }) => {
        const params = new URL(url, 'http://x').searchParams;
        if (params.get('cursor') === 'page2') return { items: [customer(3)], next_cursor: null };
        return { items: [customer(1), customer(2)], next_cursor: 'page2' };
      },
      [`GET ${LIST}/count`]: { count: 3, exact: true },
    });
    renderListRoute();
    expect(await screen.findByText('Customer 1')).toBeInTheDocument();
    expect(screen.getByText('3 records')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('load-more'));
    expect(await screen.findByText('Customer 3')).toBeInTheDocument();
    expect(screen.queryByTestId('load-more')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('columnheader', { name: /Employees/ }));
    await waitFor(() => expect(calls.some((c) => new URL(c.url, 'http://x').searchParams.get('sort') === 'employees')).toBe(true));
    await userEvent.click(screen.getByRole('columnheader', { name: /Employees/ }));
    await waitFor(() => expect(calls.some((c) => new URL(c.url, 'http://x').searchParams.get('sort') === '-employees')).toBe(true));

    const search = within(screen.getByTestId('list-search')).getByRole('searchbox');
    fireEvent.change(search, { target: { value: 'acme' } });
    fireEvent.keyDown(search, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => {
      const filters = calls.map((c) => new URL(c.url, 'http://x').searchParams.get('filter')).filter(Boolean);
      expect(filters.at(-1)).toContain('"contains":[{"var":"name"},"acme"]');
    });
  });

  it('shows the toolbar and a skeleton when the first page is slow to come', async () => {
    mockFetch({ [`GET ${LIST}/count`]: { count: 3, exact: true } });
    const answered = globalThis.fetch;
    // the first page never answers; everything else as the table above says
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).startsWith(`${LIST}?`) ? new Promise<Response>(() => undefined) : answered(input, init),
    );
    const { container } = renderListRoute();
    expect(await screen.findByTestId('list-search')).toBeInTheDocument();
    expect(screen.getByTestId('filter-open')).toBeInTheDocument();
    expect(container.querySelector('.ant-skeleton')).not.toBeNull();
  });

  it('tells a new user how to start when the form has no records', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [], next_cursor: null }, [`GET ${LIST}/count`]: { count: 0, exact: true } });
    renderListRoute();
    expect(await screen.findByText('No records yet')).toBeInTheDocument();
    expect(screen.getByText('Create the first one — it will show up here.')).toBeInTheDocument();
  });

  it('deletes the selected records', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [customer(1), customer(2)], next_cursor: null }, [`GET ${LIST}/count`]: reply(200, { count: 2, exact: true }) });
    const { deleteRecords } = renderListRoute();
    await screen.findByText('Customer 1');
    const row = screen.getByText('Customer 2').closest('tr')!;
    await userEvent.click(within(row).getByRole('checkbox'));
    await userEvent.click(screen.getByTestId('bulk-delete'));
    expect(deleteRecords).toHaveBeenCalledWith('customer', [customer(2)._id], expect.anything());
  });

  it('selects a range with a shift-click, each box named after its record', async () => {
    mockFetch({
      [`GET ${LIST}`]: { items: [1, 2, 3, 4].map(customer), next_cursor: null },
      [`GET ${LIST}/count`]: { count: 4, exact: true },
    });
    const { deleteRecords } = renderListRoute();
    await screen.findByText('Customer 1');
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Customer 1' }));
    await user.keyboard('{Shift>}');
    await user.click(screen.getByRole('checkbox', { name: 'Customer 3' }));
    await user.keyboard('{/Shift}');
    expect(screen.getByRole('checkbox', { name: 'Customer 2' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Customer 4' })).not.toBeChecked();
    await user.click(screen.getByTestId('bulk-delete'));
    expect(deleteRecords).toHaveBeenCalledWith('customer', [1, 2, 3].map((n) => customer(n)._id), expect.anything());
  });

  it('ticks the whole page from the header box and sorts a column from the keyboard', async () => {
    const { calls } = mockFetch({ [`GET ${LIST}`]: { items: [1, 2, 3].map(customer), next_cursor: null }, [`GET ${LIST}/count`]: { count: 3, exact: true } });
    const { deleteRecords } = renderListRoute();
    await screen.findByText('Customer 1');
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Customer 2' }));
    const all = screen.getByRole('checkbox', { name: 'Select all' });
    expect(all).toBePartiallyChecked();
    await user.click(all);
    expect(all).toBeChecked();
    await user.click(screen.getByTestId('bulk-delete'));
    expect(deleteRecords).toHaveBeenCalledWith('customer', expect.arrayContaining([1, 2, 3].map((n) => customer(n)._id)), expect.anything());

    const header = screen.getByRole('columnheader', { name: 'Employees' });
    expect(header).not.toHaveAttribute('aria-sort');
    header.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('columnheader', { name: 'Employees' })).toHaveAttribute('aria-sort', 'ascending'));
    expect(calls.some((c) => new URL(c.url, 'http://x').searchParams.get('sort') === 'employees')).toBe(true);
  });

  it('shows a phone one card per record, selectable and opening the record', async () => {
    const width = window.innerWidth;
    window.innerWidth = 390;
    try {
      mockFetch({ [`GET ${LIST}`]: { items: [1, 2].map(customer), next_cursor: null }, [`GET ${LIST}/count`]: { count: 2, exact: true } });
      const { deleteRecords, router } = renderListRoute();
      const cards = await screen.findByTestId('record-cards');
      expect(screen.queryByTestId('record-table')).not.toBeInTheDocument();
      await userEvent.click(within(cards).getByRole('checkbox', { name: 'Customer 2' }));
      expect(router.state.location.pathname).toBe('/apps/crm/forms/customer');
      await userEvent.click(screen.getByTestId('bulk-delete'));
      expect(deleteRecords).toHaveBeenCalledWith('customer', [customer(2)._id], expect.anything());
      await userEvent.click(within(cards).getByText('Customer 1'));
      expect(router.state.location.pathname).toBe(`/apps/crm/forms/customer/records/${customer(1)._id}`);
    } finally {
      window.innerWidth = width;
    }
  });

  it('follows a related record’s link in a cell, not the row’s own record', async () => {
    const form = { ...crmApp.definition.forms[0], fields: [...crmApp.definition.forms[0].fields, { key: 'parent', type: 'relation', target: 'customer', label: { en: 'Parent' } }] };
    const app: AppDetail = { ...crmApp, definition: { ...crmApp.definition, forms: [form] } };
    const child = { ...customer(1), parent: customer(2)._id, _titles: { parent: 'Customer 2' } };
    mockFetch({ [`GET ${LIST}`]: { items: [child], next_cursor: null }, [`GET ${LIST}/count`]: { count: 1, exact: true } });
    const { router } = renderListRoute(undefined, app, '/apps/crm/forms/customer?cols=name,parent');
    const row = await screen.findByRole('row', { name: /Customer 1/ });
    await userEvent.click(within(row).getByRole('link', { name: 'Customer 2' }));
    expect(router.state.location.pathname).toBe(`/apps/crm/forms/customer/records/${customer(2)._id}`);
  });

  it('shows only the buttons the caller may use', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [customer(1), customer(2)], next_cursor: null }, [`GET ${LIST}/count`]: { count: 2, exact: true } });
    const viewer = { ...crmApp, access: { customer: { actions: ['view', 'export'], readonly: [] } } } as AppDetail;
    renderListRoute(undefined, viewer);
    await screen.findByText('Customer 1');
    await userEvent.click(within(screen.getByText('Customer 2').closest('tr')!).getByRole('checkbox'));
    expect(screen.queryByTestId('record-new')).not.toBeInTheDocument();
    expect(screen.queryByTestId('import-open')).not.toBeInTheDocument();
    expect(screen.getByTestId('export-open')).toBeInTheDocument();
    expect(screen.queryByTestId('trash-link')).not.toBeInTheDocument();
    expect(screen.queryByTestId('bulk-edit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('bulk-delete')).not.toBeInTheDocument();
  });

  it('offers bulk edit to an editor', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [customer(1), customer(2)], next_cursor: null }, [`GET ${LIST}/count`]: { count: 2, exact: true } });
    const editor = { ...crmApp, access: { customer: { actions: ['view', 'edit'], readonly: ['level'] } } } as AppDetail;
    renderListRoute(undefined, editor);
    await screen.findByText('Customer 1');
    await userEvent.click(within(screen.getByText('Customer 2').closest('tr')!).getByRole('checkbox'));
    expect(screen.getByTestId('bulk-edit')).toHaveTextContent('Edit (1)');
    // the dialog's code comes when it is opened
    await userEvent.click(screen.getByTestId('bulk-edit'));
    expect(await screen.findByTestId('bulk-edit-form', undefined, { timeout: 5000 })).toBeInTheDocument();
  });

  it('drops the selection when another view is opened from the side menu', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [customer(1), customer(2)], next_cursor: null }, [`GET ${LIST}/count`]: { count: 2, exact: true } });
    const { router } = renderListRoute(undefined, crmApp, '/apps/crm/forms/customer?sv=v-mine');
    await screen.findByText('Customer 1');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Customer 2' }));
    expect(screen.getByTestId('bulk-delete')).toBeInTheDocument();
    // the side menu only changes the URL: the page stays mounted
    await act(() => router.navigate('/apps/crm/forms/customer?sv=v-shared'));
    await waitFor(() => expect(screen.queryByTestId('bulk-delete')).not.toBeInTheDocument());
    expect(screen.getByRole('checkbox', { name: 'Customer 2' })).not.toBeChecked();
  });

  it('shows the kanban the URL names', async () => {
    mockFetch({ [`GET ${LIST}`]: { items: [customer(1)], next_cursor: null }, [`GET ${LIST}/count`]: { count: 1, exact: true } });
    renderListRoute(undefined, crmApp, '/apps/crm/forms/customer?view=kanban&group=level');
    expect(await screen.findByTestId('kanban')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Key account' })).toBeInTheDocument();
    expect(screen.queryByTestId('record-table')).not.toBeInTheDocument();
  });

  it("opens the app's default view when the list is opened plain", async () => {
    mockFetch({
      [`GET ${LIST}`]: { items: [customer(1)], next_cursor: null },
      [`GET ${LIST}/count`]: { count: 1, exact: true },
      'GET /api/v1/apps/crm/forms/customer/views': {
        can_share: false,
        items: [{ id: 'definition:board', key: 'board', source: 'definition', name: { en: 'Board' }, readonly: true, editable: false, shared: true, default: true, type: 'kanban', group_by: 'level' }],
      },
    });
    const { router } = renderListRoute();
    expect(await screen.findByTestId('kanban', undefined, { timeout: 5000 })).toBeInTheDocument();
    expect(router.state.location.search).toContain('sv=definition');
  });
});
