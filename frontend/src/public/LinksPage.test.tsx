import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Outlet } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDetail } from '../api/types';
import type { AppContextValue } from '../shell/appContext';
import { mockFetch, reply } from '../test/fetchMock';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import type { PublicLink } from './api';
import LinksPage from './LinksPage';

afterEach(() => vi.unstubAllGlobals());

const LINKS = '/api/v1/apps/crm/forms/customer/public-links';
const link: PublicLink = {
  id: 'l1',
  app: 'crm',
  form: 'customer',
  name: 'Expo 2026',
  owner: 'ann@example.com',
  enabled: true,
  has_password: true,
  expires_at: null,
  created_at: '2026-11-24T01:00:00Z',
};

function renderLinks(app: AppDetail) {
  const context: AppContextValue = { app, deleteRecords: vi.fn() };
  return renderWithApp(<Outlet context={context} />, {
    url: '/apps/crm/forms/customer/links',
    path: '/',
    children: [{ path: 'apps/:app/forms/:form/links', element: <LinksPage /> }],
  });
}

const manager = { ...crmApp, access: { customer: { actions: ['view', 'create', 'manage'], readonly: [] } } };

describe('LinksPage', () => {
  it('makes a link and shows its address once, turns links off and deletes them', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } },
      'GET /api/v1/users': { items: [{ id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false }] },
      [`GET ${LINKS}`]: { items: [link] },
      [`POST ${LINKS}`]: reply(201, { ...link, id: 'l2', token: 'tpl_secret', url: '/api/v1/public/tpl_secret' }),
      [`PATCH ${LINKS}/l1`]: { ...link, enabled: false },
      [`DELETE ${LINKS}/l1`]: reply(204),
    });
    renderLinks(manager);
    const table = await screen.findByTestId('links-table');
    expect(await within(table).findByText('Expo 2026')).toBeInTheDocument();
    expect(within(table).getByText('Password')).toBeInTheDocument();
    expect(within(table).getByText('Never')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('link-new'));
    fireEvent.change(await screen.findByTestId('link-name'), { target: { value: 'Spring fair' } });
    await userEvent.click(screen.getByTestId('link-create'));
    expect(await screen.findByTestId('link-url')).toHaveTextContent(`${window.location.origin}/f/tpl_secret`);
    expect(screen.getByText('Copy the link now: it will not be shown again.')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ owner: 'ann@example.com', name: 'Spring fair' });
    await userEvent.click(screen.getByTestId('link-done'));

    await userEvent.click(screen.getByTestId('link-toggle-l1'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false }));
    expect(await screen.findByText('Link turned off')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('link-delete-l1'));
    await userEvent.click(within(await screen.findByRole('tooltip')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url === `${LINKS}/l1`)).toBe(true));
  });

  it('puts the server’s objection to an owner on the owner field', async () => {
    mockFetch({
      'GET /api/v1/me': { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } },
      'GET /api/v1/users': { items: [] },
      [`GET ${LINKS}`]: { items: [] },
      [`POST ${LINKS}`]: reply(422, { status: 422, code: 'validation_failed', errors: [{ path: 'owner', code: 'owner_cannot_create', message: 'This member may not create records of this form.' }] }),
    });
    renderLinks(manager);
    expect(await screen.findByText(/No public links yet/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('link-new'));
    await userEvent.click(await screen.findByTestId('link-create'));
    expect(await screen.findByText('This member may not create records of this form.')).toBeInTheDocument();
  });

  it('tells those who do not manage the form that they cannot make links', async () => {
    mockFetch({});
    renderLinks({ ...crmApp, access: { customer: { actions: ['view'], readonly: [] } } });
    expect(await screen.findByText('Only people who manage this form can make public links for it.')).toBeInTheDocument();
    expect(screen.queryByTestId('link-new')).not.toBeInTheDocument();
  });
});
