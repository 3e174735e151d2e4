import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import DepartmentsPage from './DepartmentsPage';

afterEach(() => vi.unstubAllGlobals());

const DEPARTMENTS = [
  { id: 'd1', key: 'sales', name: 'Sales', parent: null, managers: ['ann@example.com'] },
  { id: 'd2', key: 'sales_east', name: 'Sales East', parent: 'sales', managers: [] },
];
const BASE = {
  'GET /api/v1/departments': { items: DEPARTMENTS },
  'GET /api/v1/users': { items: [{ id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: true, is_active: true }] },
};

const renderPage = (locale: 'en' | 'zh-CN' = 'en') => renderWithApp(<DepartmentsPage />, { url: '/admin/departments', locale });

describe('Admin departments', () => {
  it('shows the departments as a tree', async () => {
    mockFetch(BASE);
    renderPage('zh-CN');
    expect(await screen.findByTestId('department-sales')).toHaveTextContent('1 位负责人');
    expect(screen.getByTestId('department-sales_east')).toHaveTextContent('Sales East');
    expect(screen.getByText('新建部门')).toBeInTheDocument();
  });

  it('creates a department', async () => {
    const { calls } = mockFetch({ ...BASE, 'POST /api/v1/departments': reply(201, { id: 'd3', key: 'hr', name: 'HR', parent: null, managers: [] }) });
    renderPage();
    await userEvent.click(await screen.findByTestId('department-new'));
    fireEvent.change(await screen.findByTestId('department-key'), { target: { value: 'hr' } });
    fireEvent.change(screen.getByTestId('department-name'), { target: { value: 'HR' } });
    await userEvent.click(screen.getByTestId('department-save'));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ key: 'hr', name: 'HR', parent: null, managers: [] }));
  });

  it('shows a move under itself on the parent field', async () => {
    const { calls } = mockFetch({
      ...BASE,
      'PATCH /api/v1/departments/sales': reply(422, {
        status: 422,
        code: 'invalid_fields',
        title: 'A department cannot move under itself.',
        errors: [{ path: 'parent', code: 'cycle', message: 'That department is inside this one.' }],
      }),
    });
    renderPage();
    await userEvent.click(await screen.findByTestId('department-sales'));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(within(dialog).getByTestId('department-parent')).getByRole('combobox'));
    const options = await screen.findAllByText('Sales East (sales_east)');
    await userEvent.click(options[options.length - 1]);
    await userEvent.click(screen.getByTestId('department-save'));
    expect(await screen.findByText('A department cannot move under itself or one of its sub-departments.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Sales', parent: 'sales_east', managers: ['ann@example.com'] });
  });
});
