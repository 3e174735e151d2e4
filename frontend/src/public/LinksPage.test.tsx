import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Outlet } from 'react-router';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDetail } from '../api/types';
import type { AppContextValue } from '../shell/appContext';
import { mockFetch, reply } from '../test/fetchMock';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import type { PublicLink } from './api';
import { linkChanges } from './EditLinkDialog';
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
  embed_origins: [],
};

function renderLinks(app: AppDetail, locale: 'en' | 'zh-CN' = 'en') {
  const context: AppContextValue = { app, deleteRecords: vi.fn() };
  return renderWithApp(<Outlet context={context} />, {
    locale,
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

  it('changes a link’s name and password after creation, sending only what changed', async () => {
    const { calls } = mockFetch({
      [`GET ${LINKS}`]: { items: [link] },
      [`PATCH ${LINKS}/l1`]: { ...link, name: 'Expo 2027' },
    });
    renderLinks(manager);
    await userEvent.click(await screen.findByTestId('link-edit-l1'));
    const name = await screen.findByTestId('link-edit-name');
    expect(name).toHaveValue('Expo 2026');
    fireEvent.change(name, { target: { value: 'Expo 2027' } });
    await userEvent.click(screen.getByLabelText('Set a new password'));
    await userEvent.click(screen.getByTestId('link-edit-save'));
    expect(await screen.findByText('Enter the new password')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('link-edit-password'), { target: { value: 'second secret' } });
    await userEvent.click(screen.getByTestId('link-edit-save'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Expo 2027', password: 'second secret' }));
    expect(await screen.findByText('Link updated')).toBeInTheDocument();
  });

  it('removes a password, and puts the server’s objection to the expiry on its field, in Chinese', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } },
      [`GET ${LINKS}`]: { items: [{ ...link, expires_at: '2020-01-01T00:00:00Z', enabled: false }] },
      [`PATCH ${LINKS}/l1`]: reply(422, { status: 422, code: 'invalid_request', errors: [{ path: 'expires_at', code: 'datetime_parsing', message: '日期无效' }] }),
    });
    renderLinks(manager, 'zh-CN');
    await userEvent.click(await screen.findByTestId('link-edit-l1'));
    expect(await screen.findByTestId('link-edit-expired')).toHaveTextContent('此链接已过期');
    await userEvent.click(screen.getByLabelText('取消密码'));
    await userEvent.click(screen.getByTestId('link-edit-enabled'));
    await userEvent.click(screen.getByTestId('link-edit-save'));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: true, password: '' }));
    expect(await screen.findByText('日期无效')).toBeInTheDocument();
  });

  it('lists links as cards on a phone, their switch and buttons in reach', async () => {
    const width = window.innerWidth;
    window.innerWidth = 390;
    try {
      const { calls } = mockFetch({ [`GET ${LINKS}`]: { items: [link] }, [`PATCH ${LINKS}/l1`]: { ...link, enabled: false } });
      renderLinks(manager);
      const card = await screen.findByTestId('link-card-l1');
      expect(screen.queryByTestId('links-table')).not.toBeInTheDocument();
      expect(card).toHaveTextContent('Expo 2026');
      expect(card).toHaveTextContent('ann@example.com');
      expect(card).toHaveTextContent('Never');
      await userEvent.click(within(card).getByTestId('link-toggle-l1'));
      await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false }));
      await userEvent.click(within(card).getByTestId('link-edit-l1'));
      expect(await screen.findByTestId('link-edit-name')).toHaveValue('Expo 2026');
    } finally {
      window.innerWidth = width;
    }
  });

  it('sends an expiry only when it changed, and null to make a link never expire', () => {
    const base = { name: link.name ?? '', enabled: true, mode: 'keep' as const };
    const expiring = { ...link, expires_at: '2030-05-01T08:00:00Z' };
    expect(linkChanges(expiring, { ...base, expires_at: dayjs('2030-05-01T08:00:00Z') })).toEqual({});
    expect(linkChanges(expiring, { ...base, expires_at: null })).toEqual({ expires_at: null });
    expect(linkChanges(link, { ...base, expires_at: dayjs('2031-01-02T03:04:00Z') })).toEqual({ expires_at: '2031-01-02T03:04:00.000Z' });
    expect(linkChanges(link, { ...base, name: '  ' })).toEqual({ name: '' });
  });

  it('makes a link other sites may embed, and gives the code to paste into them', async () => {
    const sites = ['https://shop.example.com', 'https://*.example.org'];
    const { calls } = mockFetch({
      'GET /api/v1/me': { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } },
      'GET /api/v1/users': { items: [{ id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false }] },
      [`GET ${LINKS}`]: { items: [{ ...link, embed_origins: sites }] },
      [`POST ${LINKS}`]: reply(201, { ...link, id: 'l2', embed_origins: sites, token: 'tpl_secret', url: '/api/v1/public/tpl_secret' }),
    });
    renderLinks(manager);
    const table = await screen.findByTestId('links-table');
    expect(await within(table).findByText(sites.join(', '))).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('link-new'));
    const box = within(await screen.findByTestId('link-embed')).getByRole('combobox');
    await userEvent.type(box, 'https://shop.example.com https://*.example.org ');
    await userEvent.click(screen.getByTestId('link-create'));
    const code = await screen.findByTestId('link-embed-code');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ owner: 'ann@example.com', embed_origins: sites });
    expect(code).toHaveTextContent(`<iframe src="${window.location.origin}/f/tpl_secret" title="Customer"`);
  });

  it('a link made without sites gives no embed code', async () => {
    mockFetch({
      'GET /api/v1/me': { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } },
      'GET /api/v1/users': { items: [] },
      [`GET ${LINKS}`]: { items: [] },
      [`POST ${LINKS}`]: reply(201, { ...link, id: 'l2', token: 'tpl_secret', url: '/api/v1/public/tpl_secret' }),
    });
    renderLinks(manager);
    await userEvent.click(await screen.findByTestId('link-new'));
    await userEvent.click(screen.getByTestId('link-create'));
    expect(await screen.findByTestId('link-url')).toBeInTheDocument();
    expect(screen.queryByTestId('link-embed-code')).not.toBeInTheDocument();
  });

  it('puts the server’s refusal of a site on the sites field, naming the site, in Chinese', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } },
      [`GET ${LINKS}`]: { items: [{ ...link, embed_origins: ['https://shop.example.com'] }] },
      [`PATCH ${LINKS}/l1`]: reply(422, {
        status: 422,
        code: 'validation_failed',
        errors: [{ path: 'embed_origins[1]', code: 'invalid_origin', message: 'Give the site only (https://www.example.com), without a path.' }],
      }),
    });
    renderLinks(manager, 'zh-CN');
    await userEvent.click(await screen.findByTestId('link-edit-l1'));
    const box = within(await screen.findByTestId('link-edit-embed')).getByRole('combobox');
    await userEvent.type(box, 'https://example.com/form ');
    await userEvent.click(screen.getByTestId('link-edit-save'));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ embed_origins: ['https://shop.example.com', 'https://example.com/form'] }),
    );
    expect(await screen.findByText('“https://example.com/form”不是网站地址：只需填写 https:// 和域名，不带路径。')).toBeInTheDocument();
  });

  it('sends the sites only when they changed, and [] to stop all embedding', () => {
    const base = { name: link.name ?? '', enabled: true, mode: 'keep' as const, expires_at: null };
    const embedded = { ...link, embed_origins: ['https://a.example.com'] };
    expect(linkChanges(embedded, { ...base, embed_origins: ['https://a.example.com'] })).toEqual({});
    expect(linkChanges(embedded, { ...base, embed_origins: [] })).toEqual({ embed_origins: [] });
    expect(linkChanges(link, { ...base, embed_origins: ['https://b.example.com'] })).toEqual({ embed_origins: ['https://b.example.com'] });
  });

  it('tells those who do not manage the form that they cannot make links', async () => {
    mockFetch({});
    renderLinks({ ...crmApp, access: { customer: { actions: ['view'], readonly: [] } } });
    expect(await screen.findByText('Only people who manage this form can make public links for it.')).toBeInTheDocument();
    expect(screen.queryByTestId('link-new')).not.toBeInTheDocument();
  });
});
