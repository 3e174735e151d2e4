import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import AppsPage from './AppsPage';

afterEach(() => vi.unstubAllGlobals());

/** How long a find may wait for the page (generous: CI machines are busy; nothing is timed). */
const WAIT = { timeout: 15_000 };

const APPS = {
  items: [
    { key: 'crm', name: { en: 'CRM', 'zh-CN': '客户管理' }, version: '1.1.0', status: 'published', published_at: '2026-11-20T08:00:00Z', forms: [{ key: 'customer', name: { en: 'Customer', 'zh-CN': '客户' } }] },
  ],
};
const VERSIONS = {
  published_version: 2,
  has_more: false,
  draft: { exists: true, unpublished: true, updated_at: '2026-11-21T08:00:00Z', changes: { fields_added: { customer: ['phone'] } } },
  items: [
    {
      version: 2,
      semver: '1.1.0',
      published_at: '2026-11-20T08:00:00Z',
      published_by: { email: 'admin@example.com', name: 'Ada' },
      current: true,
      changes: { forms_added: ['deal'], fields_changed: { customer: ['level'] }, sections_changed: ['roles'] },
    },
    { version: 1, semver: '1.0.0', published_at: '2026-11-01T08:00:00Z', published_by: null, current: false, changes: { first: true, forms_added: ['customer'] } },
  ],
};
const PLAN = { summary: 'no changes', steps: [{ op: 'drop_column', table: 'crm__customer', cost: 'instant', description: 'Drop column phone' }], blockers: [] };

async function openVersions() {
  await userEvent.click(await screen.findByTestId('versions-toggle-crm', {}, WAIT));
  return screen.findByTestId('versions-crm', {}, WAIT);
}

describe('Admin apps and versions', () => {
  it('lists versions newest first with who published them and what changed, and the draft state', async () => {
    mockFetch({ 'GET /api/v1/apps': APPS, 'GET /api/v1/apps/crm/versions': VERSIONS });
    renderWithApp(<AppsPage />, { url: '/admin/apps' });
    const versions = await openVersions();
    const v2 = within(versions).getByTestId('version-crm-2');
    expect(v2).toHaveTextContent('Version 2');
    expect(v2).toHaveTextContent('Current');
    expect(v2).toHaveTextContent('by Ada');
    expect(v2).toHaveTextContent('Forms added deal');
    expect(v2).toHaveTextContent('Fields changed Customer · level');
    expect(v2).toHaveTextContent('Also changed roles');
    expect(within(versions).getByTestId('version-crm-1')).toHaveTextContent('First version');
    expect(within(versions).getByTestId('draft-crm')).toHaveTextContent('not published yet');
    expect(within(versions).getByTestId('draft-crm')).toHaveTextContent('Customer · phone');
    expect(screen.getByTestId('export-crm')).toHaveAttribute('href', '/api/v1/apps/crm/export');
  });

  it('restores an old version into the draft, then offers to publish it', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/apps': APPS,
      'GET /api/v1/apps/crm/versions': VERSIONS,
      'POST /api/v1/apps/crm/versions/1/restore-draft': { key: 'crm', has_draft: true },
      'GET /api/v1/apps/crm/plan': PLAN,
      'POST /api/v1/apps/crm/publish': { version: 3 },
    });
    renderWithApp(<AppsPage />, { url: '/admin/apps' });
    const versions = await openVersions();
    await userEvent.click(within(versions).getByTestId('restore-crm-1'));
    await userEvent.click(await screen.findByTestId('restore-confirm', {}, WAIT));
    const dialog = await screen.findByTestId('publish-dialog', {}, WAIT);
    expect(await within(dialog).findByTestId('publish-steps', {}, WAIT)).toHaveTextContent('Drop column phone');
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/versions/1/restore-draft'))).toBe(true);
    await userEvent.click(screen.getByTestId('publish-confirm'));
    expect(await screen.findByText('Published as version 3', {}, WAIT)).toBeInTheDocument();
  });

  it('imports a definition file and shows its validation errors with their paths, in Chinese', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/apps': APPS,
      'POST /api/v1/apps': reply(422, {
        status: 422,
        code: 'invalid_definition',
        detail: 'The app definition is not valid',
        errors: [{ path: 'forms[0].fields[1].type', code: 'unknown_type', message: "unknown type 'nubmer'" }],
      }),
    });
    renderWithApp(<AppsPage />, { url: '/admin/apps', locale: 'zh-CN' });
    await userEvent.click(await screen.findByTestId('app-import', {}, WAIT));
    const file = new File([JSON.stringify({ key: 'shop' })], 'shop.json', { type: 'application/json' });
    fireEvent.change(screen.getByTestId('app-import-file'), { target: { files: [file] } });
    const error = await screen.findByTestId('app-import-error', {}, WAIT);
    expect(error).toHaveTextContent('定义无效');
    expect(error).toHaveTextContent("forms[0].fields[1].type unknown type 'nubmer'");
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ key: 'shop' }), WAIT);
  });

  it('says when a file is not JSON, without sending it', async () => {
    const { calls } = mockFetch({ 'GET /api/v1/apps': APPS });
    renderWithApp(<AppsPage />, { url: '/admin/apps' });
    await userEvent.click(await screen.findByTestId('app-import', {}, WAIT));
    fireEvent.change(screen.getByTestId('app-import-file'), { target: { files: [new File(['nope'], 'x.json')] } });
    expect(await screen.findByTestId('app-import-error', {}, WAIT)).toHaveTextContent('This file is not JSON.');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('has a helpful empty state', async () => {
    mockFetch({ 'GET /api/v1/apps': { items: [] } });
    renderWithApp(<AppsPage />, { url: '/admin/apps' });
    expect(await screen.findByText(/No apps yet/, {}, WAIT)).toBeInTheDocument();
  });
});
