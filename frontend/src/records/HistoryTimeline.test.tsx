import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../fields';
import { mockFetch } from '../test/fetchMock';
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
});
