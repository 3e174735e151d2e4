import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { PrintDialog } from './PrintDialog';

afterEach(() => vi.unstubAllGlobals());

const RECORD = '/api/v1/apps/crm/forms/customer/records/r1';
const TEMPLATES = '/api/v1/apps/crm/forms/customer/print-templates';
const templateOf = (url: string) => new URL(url, 'http://x').searchParams.get('template');

describe('PrintDialog', () => {
  it('previews the printout in a sandboxed frame and switches templates when the form has several', async () => {
    const { calls } = mockFetch({
      [`GET ${TEMPLATES}`]: { items: [{ key: 'default', name: { en: 'Default', 'zh-CN': '默认' } }, { key: 'letter', name: { en: 'Letter', 'zh-CN': '信函' } }] },
      [`GET ${RECORD}/print`]: ({ url }) => `<h1>${templateOf(url)} printout</h1>`,
    });
    renderWithApp(<PrintDialog app="crm" form={customerForm} id="r1" />);
    await userEvent.click(screen.getByTestId('record-print'));
    const frame = await screen.findByTestId('print-frame');
    expect(frame).toHaveAttribute('sandbox', 'allow-same-origin allow-modals'); // no scripts
    expect(frame.getAttribute('srcdoc')).toContain('default printout');
    const print = calls.find((c) => c.url.startsWith(`${RECORD}/print`))!;
    const params = new URL(print.url, 'http://x').searchParams;
    expect(params.get('locale')).toBe('en');
    expect(params.get('timezone')).toBeTruthy();

    fireEvent.mouseDown(within(screen.getByTestId('print-template')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Letter'));
    await waitFor(() => expect(screen.getByTestId('print-frame').getAttribute('srcdoc')).toContain('letter printout'));
    expect(screen.getByTestId('print-open')).toHaveAttribute('href', expect.stringContaining('template=letter'));
    expect(screen.getByTestId('print-pdf')).toHaveAttribute('href', expect.stringContaining('format=pdf'));
  });

  it('shows no picker for the default template alone, and the reason when printing is refused', async () => {
    mockFetch({
      [`GET ${TEMPLATES}`]: { items: [{ key: 'default', name: { en: 'Default' } }] },
      [`GET ${RECORD}/print`]: reply(403, { status: 403, code: 'permission_denied', title: 'Forbidden' }),
    });
    renderWithApp(<PrintDialog app="crm" form={customerForm} id="r1" />);
    await userEvent.click(screen.getByTestId('record-print'));
    expect(await screen.findByText('You do not have permission to do this.')).toBeInTheDocument();
    expect(screen.queryByTestId('print-template')).not.toBeInTheDocument();
    expect(screen.getByTestId('print-now')).toBeDisabled();
  });
});
