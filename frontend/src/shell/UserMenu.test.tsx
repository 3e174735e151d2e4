import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { draftKey } from '../form/useDraftAutosave';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { UserMenu } from './UserMenu';

const ME = { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } };

describe('UserMenu', () => {
  it('signs out and takes the signed-out user’s drafts with it, not another user’s', async () => {
    const mine = draftKey({ user: 'u1', app: 'crm', form: 'customer' });
    const theirs = draftKey({ user: 'u2', app: 'crm', form: 'customer' });
    localStorage.setItem(mine, JSON.stringify({ values: { name: 'half typed' }, savedAt: Date.now() }));
    localStorage.setItem(theirs, JSON.stringify({ values: { name: 'other' }, savedAt: Date.now() }));
    const { calls } = mockFetch({ 'GET /api/v1/me': ME, 'POST /api/v1/auth/logout': () => reply(204) });
    const { router } = renderWithApp(<UserMenu compact={false} />, { routes: [{ path: '/login', element: <p>login page</p> }] });

    await userEvent.click(await screen.findByTestId('user-menu'));
    await userEvent.click(await screen.findByRole('menuitem', { name: /Sign out/ }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/auth/logout'))).toBe(true);
    expect(localStorage.getItem(mine)).toBeNull();
    expect(localStorage.getItem(theirs)).not.toBeNull();
  });
});
