import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../fields';
import { mockFetch, reply } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { HistoryTimeline } from './HistoryTimeline';

afterEach(() => vi.unstubAllGlobals());

describe('HistoryTimeline', () => {
  it('lists versions newest first with each field change shown as people read it', async () => {
    mockFetch({
      'GET /api/v1/apps/crm/forms/customer/records/r1/history': {
        items: [
          { version: 1, action: 'create', actor: { id: 'u1', name: 'Ann' }, at: '2026-11-24T01:00:00Z', changes: {} },
          {
            version: 2,
            action: 'update',
            actor: { id: 'u2', name: 'Bo' },
            at: '2026-11-24T02:00:00Z',
            changes: { level: { old: 'B', new: 'A' }, revenue: { old: null, new: 1200 } },
          },
        ],
      },
    });
    renderWithApp(<HistoryTimeline app="crm" form={customerForm} id="r1" />);
    const latest = await screen.findByTestId('history-v2');
    expect(latest).toHaveTextContent('Bo changed 2 fields');
    expect(within(latest).getByText('Regular')).toBeInTheDocument(); // option labels, not values
    expect(within(latest).getByText('Key account')).toBeInTheDocument();
    expect(latest).toHaveTextContent('¥1,200.00');
    expect(screen.getByTestId('history-v1')).toHaveTextContent('Ann created the record');
    const entries = screen.getAllByTestId(/history-v/);
    expect(entries.map((e) => e.dataset.testid)).toEqual(['history-v2', 'history-v1']);
  });

  const HISTORY = '/api/v1/apps/crm/forms/customer/records/r1/history';
  const threeVersions = {
    items: [
      { version: 3, action: 'update', actor: { id: 'u1', name: 'Ann' }, at: '2026-11-24T03:00:00Z', changes: { name: { old: 'B', new: 'C' } } },
      { version: 2, action: 'update', actor: { id: 'u1', name: 'Ann' }, at: '2026-11-24T02:00:00Z', changes: { name: { old: 'A', new: 'B' } } },
      { version: 1, action: 'create', actor: { id: 'u1', name: 'Ann' }, at: '2026-11-24T01:00:00Z', changes: {} },
    ],
  };

  it('restores an older version after a confirmation, carrying the version the user saw', async () => {
    const { calls } = mockFetch({
      [`GET ${HISTORY}`]: threeVersions,
      [`POST ${HISTORY}/2/restore`]: { _id: 'r1', _version: 4, name: 'B', _restored_from: 2 },
    });
    renderWithApp(<HistoryTimeline app="crm" form={customerForm} id="r1" current={3} canRestore />);
    await screen.findByTestId('history-v3');
    // nothing to restore on the current version
    expect(screen.queryByTestId('history-restore-v3')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('history-restore-v2'));
    expect(await screen.findByText('Restore version 2?')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect(await screen.findByText('Version 2 restored')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe(`${HISTORY}/2/restore`);
    expect(post?.body).toEqual({ _version: 3 });
    // the history is read again to show the new version
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET').length).toBeGreaterThan(1));
  });

  it('says so when someone saved in between, and offers no restore without the edit permission', async () => {
    mockFetch({
      [`GET ${HISTORY}`]: threeVersions,
      [`POST ${HISTORY}/1/restore`]: reply(409, { status: 409, code: 'version_conflict', title: 'Conflict' }),
    });
    const { unmount } = renderWithApp(<HistoryTimeline app="crm" form={customerForm} id="r1" current={3} canRestore />);
    await userEvent.click(await screen.findByTestId('history-restore-v1'));
    await userEvent.click(await screen.findByRole('button', { name: 'Restore' }));
    expect(await screen.findByText(/Someone changed this record meanwhile/)).toBeInTheDocument();
    unmount();

    renderWithApp(<HistoryTimeline app="crm" form={customerForm} id="r1" current={3} canRestore={false} />);
    await screen.findByTestId('history-v2');
    expect(screen.queryByTestId('history-restore-v2')).not.toBeInTheDocument();
  });
});
