import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { IoToolbar } from './IoToolbar';

afterEach(() => vi.unstubAllGlobals());

const EXPORT = '/api/v1/apps/crm/forms/customer/export';
const FILTER = '{"==":[{"var":"level"},"A"]}';

function renderToolbar() {
  return renderWithApp(<IoToolbar app="crm" form={customerForm} filter={FILTER} sort="-employees" />, {
    routes: [{ path: '/apps/:app/forms/:form/trash', element: <p>bin</p> }],
  });
}

describe('IoToolbar', () => {
  it('exports the list as it is filtered and sorted, as a file', async () => {
    const createObjectURL = vi.fn(() => 'blob:x');
    // jsdom has no object URLs
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const { calls } = mockFetch({ [`GET ${EXPORT}`]: { fake: 'file' } });
    renderToolbar();
    await userEvent.click(screen.getByTestId('export-open'));
    await userEvent.click(await screen.findByText('CSV (.csv)'));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    const params = new URL(calls[0].url, 'http://x').searchParams;
    expect(params.get('format')).toBe('csv');
    expect(params.get('filter')).toBe(FILTER);
    expect(params.get('sort')).toBe('-employees');
  });

  it('follows a large export job to its download link', async () => {
    let polls = 0;
    mockFetch({
      [`GET ${EXPORT}`]: reply(202, { job_id: 'e1', status_url: '/api/v1/jobs/e1' }),
      'GET /api/v1/jobs/e1': () =>
        ++polls < 2
          ? { id: 'e1', status: 'running', progress: { done: 5, total: 10 }, result: null, error: null }
          : {
              id: 'e1',
              status: 'succeeded',
              progress: { done: 10, total: 10 },
              error: null,
              result: { rows: 10, format: 'xlsx', file: { id: 'f1', name: 'customer.xlsx', url: '/api/v1/jobs/e1/artifacts/f1' } },
            },
    });
    renderToolbar();
    await userEvent.click(screen.getByTestId('export-open'));
    await userEvent.click(await screen.findByText('Excel (.xlsx)'));
    const link = await screen.findByTestId('export-download', undefined, { timeout: 4000 });
    expect(link).toHaveAttribute('href', '/api/v1/jobs/e1/artifacts/f1');
  });

  it('opens the recycle bin', async () => {
    mockFetch({});
    const { router } = renderToolbar();
    await userEvent.click(screen.getByTestId('trash-link'));
    expect(await screen.findByText('bin')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/apps/crm/forms/customer/trash');
  });
});
