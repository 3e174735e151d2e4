import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import RolesPage from './RolesPage';

afterEach(() => vi.unstubAllGlobals());

const FORM = {
  key: 'customer',
  name: { en: 'Customer', 'zh-CN': '客户' },
  fields: [
    { key: 'name', type: 'text', label: { en: 'Name', 'zh-CN': '名称' } },
    { key: 'credit_limit', type: 'number', label: { en: 'Credit limit', 'zh-CN': '信用额度' } },
    { key: 'level', type: 'select', label: { en: 'Level', 'zh-CN': '级别' } },
  ],
};
const ROUTES = {
  'GET /api/v1/apps': { items: [{ key: 'crm', name: { en: 'CRM', 'zh-CN': '客户管理' }, version: '1', status: 'published', published_at: '2026-01-01', forms: [] }] },
  'GET /api/v1/apps/crm': {
    key: 'crm',
    name: { en: 'CRM' },
    version: '1',
    status: 'published',
    published_at: '2026-01-01',
    has_draft: false,
    definition: {
      format: 'x',
      key: 'crm',
      name: { en: 'CRM' },
      version: '1',
      forms: [FORM],
      roles: [
        {
          key: 'sales',
          name: { en: 'Sales', 'zh-CN': '销售' },
          permissions: [{ form: 'customer', actions: ['view', 'create', 'edit'], scope: 'own', fields: { hidden: ['credit_limit'], readonly: ['level'] } }],
        },
        {
          key: 'mine',
          name: { en: 'Mine', 'zh-CN': '我的' },
          permissions: [{ form: 'customer', actions: ['view'], scope: { or: [{ '==': [{ var: 'name' }, { var: '$user' }] }, { '==': [{ var: 'level' }, 'A'] }] } }],
        },
      ],
    },
  },
  'GET /api/v1/apps/crm/roles': {
    items: [
      { key: 'sales', name: { en: 'Sales', 'zh-CN': '销售' }, users: ['bob@example.com'], departments: [] },
      { key: 'mine', name: { en: 'Mine', 'zh-CN': '我的' }, users: [], departments: [] },
      { key: 'admin', name: { en: 'App administrator', 'zh-CN': '应用管理员' }, users: [], departments: [] },
    ],
  },
  'GET /api/v1/users': { items: [{ id: 'u2', email: 'bob@example.com', name: 'Bob', is_admin: false, is_active: true }] },
  'GET /api/v1/departments': { items: [{ id: 'd1', key: 'sales_east', name: 'Sales East', parent: null, managers: [] }] },
};

describe('Admin app roles', () => {
  it('shows who holds each role and its permissions as a table, in Chinese', async () => {
    mockFetch(ROUTES);
    renderWithApp(<RolesPage />, { url: '/admin/roles', locale: 'zh-CN' });
    const sales = await screen.findByTestId('role-sales');
    expect(sales).toHaveTextContent('销售');
    expect(sales).toHaveTextContent('Bob');
    await userEvent.click(within(sales).getByText('权限'));
    const table = await within(sales).findByTestId('permission-table');
    expect(table).toHaveTextContent('客户');
    expect(table).toHaveTextContent('查看新增编辑');
    expect(table).toHaveTextContent('本人的记录');
    expect(table).toHaveTextContent('信用额度');
    expect(table).toHaveTextContent('级别');
    const mine = screen.getByTestId('role-mine');
    await userEvent.click(within(mine).getByText('权限'));
    expect(await within(mine).findByTestId('permission-table')).toHaveTextContent('符合条件的记录： (名称 = 当前用户) 或 (级别 = “A”)');
    expect(screen.getByTestId('role-admin')).toHaveTextContent('应用管理员可以在此应用中执行所有操作。');
  });

  it('assigns members and departments to a role', async () => {
    const { calls } = mockFetch({ ...ROUTES, 'PUT /api/v1/apps/crm/roles/sales/members': { key: 'sales', users: ['bob@example.com'], departments: ['sales_east'] } });
    renderWithApp(<RolesPage />, { url: '/admin/roles' });
    await userEvent.click(await screen.findByTestId('role-assign-sales'));
    await userEvent.click(within(await screen.findByTestId('role-departments')).getByRole('combobox'));
    const options = await screen.findAllByText('Sales East (sales_east)');
    await userEvent.click(options[options.length - 1]);
    await userEvent.click(screen.getByTestId('role-save'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ users: ['bob@example.com'], departments: ['sales_east'] }));
  });
});
