import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import LoginPage from './LoginPage';

afterEach(() => vi.unstubAllGlobals());

const USER = { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false };

function renderLogin(url = '/login', locale: 'en' | 'zh-CN' = 'en') {
  return renderWithApp(<LoginPage />, {
    url,
    locale,
    routes: [
      { path: '/', element: <p>workspace</p> },
      { path: '/apps/crm/forms/customer', element: <p>customer list</p> },
    ],
  });
}

async function signIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  await userEvent.click(screen.getByTestId('login-submit'));
}

describe('LoginPage', () => {
  it('checks the fields before asking the server', async () => {
    const { calls } = mockFetch({});
    renderLogin();
    await userEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByText('Please enter your email')).toBeInTheDocument();
    expect(screen.getByText('Please enter your password')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'not-an-email' } });
    expect(await screen.findByText('This is not a valid email address')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('signs in and goes back to the page the user wanted', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/auth/login': { access_token: 't', token_type: 'bearer', expires_in: 3600, user: USER } });
    const { router } = renderLogin('/login?next=%2Fapps%2Fcrm%2Fforms%2Fcustomer');
    await signIn(' ann@example.com ', 'secret');
    expect(await screen.findByText('customer list')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/apps/crm/forms/customer');
    expect(calls[0].body).toEqual({ email: 'ann@example.com', password: 'secret' });
  });

  it('never sends the user to another site after login', async () => {
    mockFetch({ 'POST /api/v1/auth/login': { access_token: 't', token_type: 'bearer', expires_in: 3600, user: USER } });
    const { router } = renderLogin('/login?next=%2F%2Fevil.example.com');
    await signIn('ann@example.com', 'secret');
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });

  it('says when the email or password is wrong', async () => {
    mockFetch({ 'POST /api/v1/auth/login': reply(401, { status: 401, code: 'invalid_credentials', title: 'Invalid credentials' }) });
    renderLogin();
    await signIn('ann@example.com', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is incorrect.');
  });

  it('explains throttling', async () => {
    mockFetch({ 'POST /api/v1/auth/login': reply(429, { status: 429, code: 'too_many_attempts', title: 'Too many attempts' }) });
    renderLogin();
    await signIn('ann@example.com', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Please wait a minute and try again.');
  });

  it('speaks Chinese', () => {
    mockFetch({});
    renderLogin('/login', 'zh-CN');
    expect(screen.getByText('登录 Tessera')).toBeInTheDocument();
    expect(screen.getByLabelText('邮箱')).toBeInTheDocument();
  });
});
