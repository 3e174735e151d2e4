import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Outlet } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppContextValue } from '../shell/appContext';
import { mockFetch, reply } from '../test/fetchMock';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import TrashPage from './TrashPage';

afterEach(() => vi.unstubAllGlobals());

const RECORDS = '/api/v1/apps/crm/forms/customer/records';
const ID = '00000000-0000-0000-0000-000000000001';

function renderTrash() {
  const context: AppContextValue = { app: crmApp, deleteRecords: vi.fn() };
  return renderWithApp(<Outlet context={context} />, {
    url: '/apps/crm/forms/customer/trash',
    path: '/',
    children: [{ path: 'apps/:app/forms/:form/trash', element: <TrashPage /> }],
  });
}

describe('TrashPage', () => {
  it('says when the bin is empty', async () => {
    mockFetch({ [`GET ${RECORDS}/trash`]: { items: [], next_cursor: null } });
    renderTrash();
    expect(await screen.findByText('The recycle bin is empty')).toBeInTheDocument();
  });

  it('explains a restore refused for a duplicate value', async () => {
    mockFetch({
      [`GET ${RECORDS}/trash`]: { items: [{ _id: ID, _version: 2, name: 'Acme', _deleted_at: '2026-11-24T01:00:00Z' }], next_cursor: null },
      [`POST ${RECORDS}/${ID}/restore`]: reply(409, {
        status: 409,
        code: 'duplicate_value',
        detail: 'Duplicate.',
        errors: [{ path: 'data.name', code: 'duplicate_value', message: 'Taken.' }],
      }),
    });
    renderTrash();
    expect(await screen.findByText('Acme')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('trash-restore'));
    expect(await screen.findByText(/another record already has the same "Name"/)).toBeInTheDocument();
  });

  it('purges only after the word is typed', async () => {
    const { calls } = mockFetch({
      [`GET ${RECORDS}/trash`]: { items: [{ _id: ID, _version: 2, name: 'Acme', _deleted_at: '2026-11-24T01:00:00Z' }], next_cursor: null },
      [`DELETE ${RECORDS}/${ID}/purge`]: reply(204),
    });
    renderTrash();
    await userEvent.click(await screen.findByTestId('trash-purge'));
    const confirm = await screen.findByTestId('purge-confirm');
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByTestId('purge-word'), 'DELETE');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/purge'))).toBe(true));
    expect(await screen.findByText('The record was deleted for good.')).toBeInTheDocument();
  });
});
