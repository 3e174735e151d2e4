import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import AdminLayout from './AdminLayout';
import MembersPage from './MembersPage';

afterEach(() => vi.unstubAllGlobals());

const ADMIN = { id: 'u1', email: 'admin@example.com', name: 'Ada', is_admin: true, tenant: { key: 't', name: 'T' } };
const BOB = { id: 'u2', email: 'bob@example.com', name: 'Bob', is_admin: false, is_active: true, position: 'Sales' };
const CAROL = { id: 'u3', email: 'carol@example.com', name: 'Carol', is_admin: false, is_active: true, position: null };
const BASE = {
  'GET /api/v1/me': ADMIN,
  'GET /api/v1/users': { items: [{ ...ADMIN, is_active: true }, BOB, CAROL] },
  'GET /api/v1/departments': { items: [{ id: 'd1', key: 'sales', name: 'Sales', parent: null, managers: [] }] },
};

function renderAdmin(locale: 'en' | 'zh-CN' = 'en') {
  return renderWithApp(<AdminLayout />, {
    url: '/admin/members',
    path: '/admin',
    locale,
    children: [{ path: 'members', element: <MembersPage /> }],
  });
}

async function openMore(email: string, item: string) {
  await userEvent.click(await screen.findByTestId(`member-more-${email}`));
  await userEvent.click(await screen.findByText(item));
}

describe('Admin members', () => {
  it('tells a non-admin they have no access', async () => {
    mockFetch({ ...BASE, 'GET /api/v1/me': { ...ADMIN, is_admin: false } });
    renderAdmin();
    expect(await screen.findByTestId('admin-no-access')).toHaveTextContent('No access');
  });

  it('lists the members, in Chinese too', async () => {
    mockFetch(BASE);
    renderAdmin('zh-CN');
    expect(await screen.findByText('bob@example.com')).toBeInTheDocument();
    expect(screen.getByText('成员')).toBeInTheDocument();
    expect(screen.getByText('新建成员')).toBeInTheDocument();
  });

  it('creates a member and shows the server field errors on the fields', async () => {
    let attempt = 0;
    const { calls } = mockFetch({
      ...BASE,
      'POST /api/v1/users': () =>
        ++attempt === 1
          ? reply(422, { status: 422, code: 'invalid_fields', title: 'Invalid', errors: [{ path: 'password', code: 'too_short', message: 'At least 10 characters.' }] })
          : reply(201, { id: 'u9', email: 'dan@example.com', name: 'Dan', is_admin: false, is_active: true }),
    });
    renderAdmin();
    await userEvent.click(await screen.findByTestId('member-new'));
    fireEvent.change(await screen.findByTestId('member-email'), { target: { value: 'dan@example.com' } });
    fireEvent.change(screen.getByTestId('member-name'), { target: { value: 'Dan' } });
    fireEvent.change(screen.getByTestId('member-password'), { target: { value: 'short' } });
    await userEvent.click(screen.getByTestId('member-save'));
    expect(await screen.findByText('At least 10 characters.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('member-password'), { target: { value: 'long enough pw' } });
    await userEvent.click(screen.getByTestId('member-save'));
    expect(await screen.findByText('Member Dan created')).toBeInTheDocument();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[1].body).toEqual({ email: 'dan@example.com', name: 'Dan', password: 'long enough pw', departments: [], main_department: null, is_admin: false });
  });

  it('edits a member', async () => {
    const { calls } = mockFetch({ ...BASE, 'PATCH /api/v1/users/u2': { ...BOB, position: 'Lead' } });
    renderAdmin();
    await userEvent.click(await screen.findByTestId('member-edit-bob@example.com'));
    const position = await screen.findByTestId('member-position');
    expect(position).toHaveValue('Sales');
    fireEvent.change(position, { target: { value: 'Lead' } });
    await userEvent.click(screen.getByTestId('member-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Bob', position: 'Lead', is_admin: false });
  });

  it('disables a member after confirmation', async () => {
    const { calls } = mockFetch({ ...BASE, 'PATCH /api/v1/users/u2': { ...BOB, is_active: false } });
    renderAdmin();
    await openMore('bob@example.com', 'Disable');
    expect((await screen.findAllByText('Disable Bob? They can no longer sign in.')).length).toBeGreaterThan(0);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ is_active: false }));
  });

  it('shows the one-time invitation link', async () => {
    mockFetch({ ...BASE, 'POST /api/v1/users/u2/invite': reply(201, { token: 'abc', expires_at: '2026-12-01T00:00:00Z', url: '/accept-invite?token=abc' }) });
    renderAdmin();
    await openMore('bob@example.com', 'Invitation link');
    expect(await screen.findByTestId('invite-url')).toHaveValue(`${window.location.origin}/accept-invite?token=abc`);
    expect(screen.getByTestId('invite-copy')).toBeInTheDocument();
  });

  it('offboards to a successor and shows what moved', async () => {
    const { calls } = mockFetch({
      ...BASE,
      'POST /api/v1/users/u2/offboard': {
        leaver: 'bob@example.com',
        successor: 'carol@example.com',
        records: { 'crm.customer': 3 },
        records_total: 3,
        roles_removed: ['crm.sales'],
        tokens_revoked: 1,
      },
    });
    renderAdmin();
    await openMore('bob@example.com', 'Offboard');
    await userEvent.click(await screen.findByTestId('offboard-confirm'));
    expect(await screen.findByText('Choose who takes over')).toBeInTheDocument();
    const select = within(screen.getByTestId('offboard-successor')).getByRole('combobox');
    await userEvent.click(select);
    await userEvent.click(await screen.findByText('Carol <carol@example.com>'));
    await userEvent.click(screen.getByTestId('offboard-confirm'));
    expect(await screen.findByTestId('offboard-result')).toHaveTextContent('crm.customer: 3');
    expect(calls.find((c) => c.url.endsWith('/offboard'))?.body).toEqual({ successor: 'carol@example.com' });
  });
});
