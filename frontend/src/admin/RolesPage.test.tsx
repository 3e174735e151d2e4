import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { ROUTES } from '../test/adminFixtures';
import RolesPage from './RolesPage';

afterEach(() => vi.unstubAllGlobals());

/** How long a find may wait for the page (generous: CI machines are busy; nothing is timed). */
const WAIT = { timeout: 15_000 };

describe('Admin app roles', () => {
  it('shows who holds each role and its permissions as a table, in Chinese', async () => {
    mockFetch(ROUTES);
    renderWithApp(<RolesPage />, { url: '/admin/roles', locale: 'zh-CN' });
    const sales = await screen.findByTestId('role-sales', {}, WAIT);
    expect(sales).toHaveTextContent('销售');
    expect(sales).toHaveTextContent('Bob');
    await userEvent.click(within(sales).getByText('权限'));
    const table = await within(sales).findByTestId('permission-table', {}, WAIT);
    expect(table).toHaveTextContent('客户');
    expect(table).toHaveTextContent('查看新增编辑');
    expect(table).toHaveTextContent('本人的记录');
    expect(table).toHaveTextContent('信用额度');
    expect(table).toHaveTextContent('级别');
    const mine = screen.getByTestId('role-mine');
    await userEvent.click(within(mine).getByText('权限'));
    expect(await within(mine).findByTestId('permission-table', {}, WAIT)).toHaveTextContent('符合条件的记录： (名称 = 当前用户) 或 (级别 = “A”)');
    expect(screen.getByTestId('role-admin')).toHaveTextContent('应用管理员可以在此应用中执行所有操作。');
  });

  it('assigns members and departments to a role', async () => {
    const { calls } = mockFetch({ ...ROUTES, 'PUT /api/v1/apps/crm/roles/sales/members': { key: 'sales', users: ['bob@example.com'], departments: ['sales_east'] } });
    renderWithApp(<RolesPage />, { url: '/admin/roles' });
    await userEvent.click(await screen.findByTestId('role-assign-sales', {}, WAIT));
    await userEvent.click(within(await screen.findByTestId('role-departments', {}, WAIT)).getByRole('combobox'));
    const options = await screen.findAllByText('Sales East (sales_east)', {}, WAIT);
    await userEvent.click(options[options.length - 1]);
    await userEvent.click(screen.getByTestId('role-save'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ users: ['bob@example.com'], departments: ['sales_east'] }), WAIT);
  });
});
