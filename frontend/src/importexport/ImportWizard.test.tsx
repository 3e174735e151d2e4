import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import ImportWizard from './ImportWizard';

afterEach(() => vi.unstubAllGlobals());

const BASE = '/api/v1/apps/crm/forms/customer';
const preview = {
  format: 'xlsx',
  encoding: null,
  sheet: 'Sheet1',
  headers: ['name', 'employees', 'extra'],
  estimated_rows: 2,
  columns: [
    { index: 0, header: 'name', field: 'name', matched_by: 'key' },
    { index: 1, header: 'employees', field: 'employees', matched_by: 'key' },
    { index: 2, header: 'extra', field: null, matched_by: null },
  ],
  fields: [
    { key: 'name', label: { en: 'Name' }, type: 'text', required: true },
    { key: 'employees', label: { en: 'Employees' }, type: 'number', required: false },
  ],
  missing_required: [],
  rows: [
    { row: 2, cells: { name: 'Acme', employees: '12', extra: 'x' }, action: 'insert', errors: [] },
    {
      row: 3,
      cells: { name: 'Bad', employees: 'lots', extra: 'y' },
      action: 'insert',
      errors: [{ row: 3, column: 'employees', field: 'employees', code: 'invalid_number', message: 'Not a number.' }],
    },
  ],
};

function pick(file: File) {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [file] } });
}

describe('ImportWizard', () => {
  it('maps, previews with cell errors and imports the good rows', async () => {
    let polls = 0;
    const { calls } = mockFetch({
      [`POST ${BASE}/import/preview`]: preview,
      [`POST ${BASE}/import`]: { job_id: 'j1', status_url: '/api/v1/jobs/j1' },
      'GET /api/v1/jobs/j1': () =>
        ++polls < 2
          ? { id: 'j1', status: 'running', progress: { done: 0, total: 2 }, result: null, error: null }
          : {
              id: 'j1',
              status: 'succeeded',
              progress: { done: 2, total: 2 },
              error: null,
              result: {
                mode: 'insert', atomic: false, rows: 2, inserted: 1, updated: 0, failed_rows: 1,
                errors: preview.rows[1].errors,
                error_report: { id: 'a1', name: 'errors.xlsx', url: '/api/v1/jobs/j1/artifacts/a1' },
              },
            },
    });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />);
    pick(new File(['x'], 'customers.xlsx'));
    expect(await screen.findByTestId('import-mapping')).toBeInTheDocument();
    expect(screen.getByText('customers.xlsx · xlsx · about 2 rows')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('import-next'));
    expect(await screen.findByTestId('import-preview')).toBeInTheDocument();
    expect(screen.getByText('1 of these records has a problem.')).toBeInTheDocument();
    expect(screen.getByTestId('preview-cell-error')).toHaveTextContent('lots');
    // the column left unmapped is not previewed
    expect(screen.queryByText(/^extra/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByText('Import the good rows, skip the bad ones'));
    await userEvent.click(screen.getByTestId('import-start'));
    expect(await screen.findByTestId('import-done', undefined, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByTestId('import-inserted')).toHaveTextContent('1');
    expect(screen.getByTestId('import-failed')).toHaveTextContent('1');
    expect(screen.getByTestId('import-report').closest('a')).toHaveAttribute('href', '/api/v1/jobs/j1/artifacts/a1');
    await waitFor(() => expect(calls.filter((c) => c.url === `${BASE}/import`)).toHaveLength(1));
  });

  it('writes its labels with Chinese punctuation in Chinese', async () => {
    mockFetch({ [`POST ${BASE}/import/preview`]: preview });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />, { locale: 'zh-CN' });
    pick(new File(['x'], 'customers.xlsx'));
    const mapping = await screen.findByTestId('import-mapping');
    const wizard = mapping.closest('.io-wizard') ?? document.body;
    expect(wizard.textContent).toContain('导入方式：');
    await userEvent.click(screen.getByText('更新或新增'));
    expect(wizard.textContent).toContain('按此字段匹配记录：');
    expect(wizard.textContent).not.toMatch(/[\u4e00-\u9fff]:/);
  });

  it('shows the rejection of an all-or-nothing import and its report', async () => {
    mockFetch({
      [`POST ${BASE}/import/preview`]: preview,
      [`POST ${BASE}/import`]: { job_id: 'j2', status_url: '/api/v1/jobs/j2' },
      'GET /api/v1/jobs/j2': {
        id: 'j2',
        status: 'failed',
        progress: { done: 2, total: 2 },
        result: null,
        error: {
          message: '1 rows are not valid; nothing was imported.',
          details: {
            code: 'import_rejected', failed_rows: 1, inserted: 0, updated: 0, errors: preview.rows[1].errors,
            error_report: { id: 'a2', name: 'errors.xlsx', url: '/api/v1/jobs/j2/artifacts/a2' },
          },
        },
      },
    });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />);
    pick(new File(['x'], 'customers.csv'));
    await userEvent.click(await screen.findByTestId('import-next'));
    await userEvent.click(await screen.findByTestId('import-start'));
    expect(await screen.findByText('Nothing was imported: 1 row is not valid.')).toBeInTheDocument();
    expect(screen.getByText(/Row 3 · employees: Not a number\./)).toBeInTheDocument();
    expect(screen.getByTestId('import-report').closest('a')).toHaveAttribute('href', '/api/v1/jobs/j2/artifacts/a2');
  });

  it('explains a file the server refuses', async () => {
    mockFetch({ [`POST ${BASE}/import/preview`]: reply(422, { status: 422, code: 'empty_file', detail: 'The file is empty.' }) });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />);
    pick(new File([''], 'empty.csv'));
    expect(await screen.findByTestId('import-problem')).toHaveTextContent('The file is empty.');
  });
});
