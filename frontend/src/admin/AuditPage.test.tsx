import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import dayjs from 'dayjs';
import { mockFetch } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import AuditPage, { toQuery } from './AuditPage';

afterEach(() => vi.unstubAllGlobals());

const entry = (id: number, action: string) => ({
  id,
  at: '2026-11-20T08:00:00Z',
  action,
  actor: 'admin@example.com',
  target_type: 'user',
  target_id: `u${id}`,
  target_name: id === 1 ? null : `张三${id}`,
  details: { email: `x${id}@example.com` },
  ip: '127.0.0.1',
  request_id: `r${id}`,
});

describe('Admin audit log', () => {
  it('lists entries, loads more, filters and exports with the same filters', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/users': { items: [] },
      'GET /api/v1/audit': (call) => {
        const query = new URL(call.url, 'http://x').searchParams;
        if (query.get('action') === 'login') return { items: [entry(9, 'login.succeeded')], next_cursor: null };
        return query.get('cursor') ? { items: [entry(1, 'user.updated')], next_cursor: null } : { items: [entry(2, 'user.created')], next_cursor: '2' };
      },
    });
    renderWithApp(<AuditPage />, { url: '/admin/audit' });
    expect(await screen.findByText('user.created')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('audit-more'));
    expect(await screen.findByText('user.updated')).toBeInTheDocument();
    expect(calls.some((c) => c.url.includes('cursor=2'))).toBe(true);

    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: 'login' } });
    await userEvent.click(screen.getByTestId('audit-apply'));
    expect(await screen.findByText('login.succeeded')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('user.created')).not.toBeInTheDocument());
    expect(screen.getByTestId('audit-export')).toHaveAttribute('href', '/api/v1/audit/export?action=login');
  });

  it('turns a day range into since and until', () => {
    const q = toQuery({ range: [dayjs('2026-11-01T10:00'), dayjs('2026-11-02T10:00')] });
    expect(dayjs(q.since).format('YYYY-MM-DD HH:mm')).toBe('2026-11-01 00:00');
    expect(dayjs(q.until).format('YYYY-MM-DD HH:mm')).toBe('2026-11-03 00:00');
  });

  it('names each action in words beside its code, in the language shown', async () => {
    mockFetch({
      'GET /api/v1/users': { items: [] },
      'GET /api/v1/audit': { items: [entry(1, 'login.succeeded'), entry(2, 'something.new')], next_cursor: null },
    });
    renderWithApp(<AuditPage />, { url: '/admin/audit', locale: 'zh-CN' });
    expect(await screen.findByText('登录成功')).toBeInTheDocument();
    expect(screen.getByText('login.succeeded')).toBeInTheDocument();
    expect(screen.getByText('something.new')).toBeInTheDocument(); // an action not known here: its code
    expect(screen.getAllByText('成员 u1').length).toBeGreaterThan(0); // what it is about, in words; no name: its id
    expect(screen.getAllByText('成员 张三2').length).toBeGreaterThan(0); // its name where it has one
    await userEvent.click(screen.getAllByRole('button', { name: /展开/ })[0]);
    expect(await screen.findByText('请求：r1')).toBeInTheDocument(); // the language's own colon
  });

  it('speaks Chinese', async () => {
    mockFetch({ 'GET /api/v1/users': { items: [] }, 'GET /api/v1/audit': { items: [], next_cursor: null } });
    renderWithApp(<AuditPage />, { url: '/admin/audit', locale: 'zh-CN' });
    expect(await screen.findByText('没有符合条件的审计记录')).toBeInTheDocument();
    expect(screen.getByText('导出 CSV')).toBeInTheDocument();
  });
});
