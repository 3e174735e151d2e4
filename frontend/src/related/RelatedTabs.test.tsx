import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Outlet, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDetail, FormDef } from '../api/types';
import '../fields';
import RecordPage from '../records/RecordPage';
import NewRecordPage from '../records/NewRecordPage';
import type { AppContextValue } from '../shell/appContext';
import { mockFetch } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { relatedLinks } from './relations';

afterEach(() => vi.unstubAllGlobals());

const l = (en: string) => ({ en, 'zh-CN': en });
const customer: FormDef = { key: 'customer', name: l('Customer'), title_field: 'name', fields: [{ key: 'name', type: 'text', label: l('Name') }] };
const contact: FormDef = {
  key: 'contact',
  name: l('Contact'),
  title_field: 'name',
  fields: [
    { key: 'name', type: 'text', label: l('Contact name') },
    { key: 'customer', type: 'relation', target: 'customer', label: l('Customer') },
    { key: 'phone', type: 'phone', label: l('Phone') },
  ],
};
const project: FormDef = {
  key: 'project',
  name: l('Project'),
  title_field: 'title',
  fields: [
    { key: 'title', type: 'text', label: l('Title') },
    { key: 'partners', type: 'relation', target: 'customer', multiple: true, label: l('Partners') },
    { key: 'client', type: 'relation', target: 'customer', label: l('Client') },
  ],
};
const payment: FormDef = { key: 'payment', name: l('Payment'), fields: [{ key: 'customer', type: 'relation', target: 'customer', label: l('Customer') }] };
const all = ['view', 'create', 'edit', 'delete', 'print'];

function appWith(access: AppDetail['access']): AppDetail {
  return {
    key: 'crm',
    name: l('CRM'),
    version: '1',
    status: 'published',
    published_at: null,
    has_draft: false,
    definition: { format: 'tessera.app/1', key: 'crm', name: l('CRM'), version: '1', forms: [customer, contact, project, payment] },
    access,
  };
}

const ID = '0190aaaa-0000-7000-8000-000000000001';
const RECORDS = (form: string) => `/api/v1/apps/crm/forms/${form}/records`;
const filterOf = (url: string) => new URL(url, 'http://x').searchParams.get('filter');

function Where() {
  const location = useLocation();
  return <div data-testid="where">{location.pathname + location.search}</div>;
}

function renderRecord(app: AppDetail) {
  const context: AppContextValue = { app, deleteRecords: vi.fn(async () => undefined) };
  return renderWithApp(<Outlet context={context} />, {
    url: `/apps/crm/forms/customer/records/${ID}`,
    path: '/',
    children: [
      { path: 'apps/:app/forms/:form/records/:id', element: <RecordPage /> },
      { path: 'apps/:app/forms/:form/new', element: <><NewRecordPage /><Where /></> },
    ],
  });
}

describe('related records', () => {
  it('finds every relation pointing at a form, single and multiple, among forms the caller may view', () => {
    const keys = relatedLinks(appWith({ customer: { actions: all, readonly: [] }, contact: { actions: ['view'], readonly: [] }, project: { actions: ['view'], readonly: [] } }), 'customer').map((link) => [link.key, link.multiple]);
    // payment has no access entry: the caller may not view it, so no tab
    expect(keys).toEqual([
      ['contact.customer', false],
      ['project.partners', true],
      ['project.client', false],
    ]);
  });

  it('shows a tab per relation with its count and a page of records, and hides forms the caller cannot view', async () => {
    const { calls } = mockFetch({
      [`GET ${RECORDS('customer')}/${ID}`]: { _id: ID, _version: 3, name: 'ACME' },
      [`GET ${RECORDS('customer')}/${ID}/history`]: { items: [] },
      [`GET ${RECORDS('contact')}/count`]: { count: 2, exact: true },
      [`GET ${RECORDS('project')}/count`]: ({ url }) => ({ count: filterOf(url)?.includes('partners') ? 1 : 0, exact: true }),
      [`GET ${RECORDS('contact')}`]: {
        items: [
          { _id: 'c1', _version: 1, name: 'Ann', phone: '13800000001', customer: ID },
          { _id: 'c2', _version: 1, name: 'Bo', phone: '13800000002', customer: ID },
        ],
        next_cursor: null,
      },
      [`GET ${RECORDS('project')}`]: { items: [{ _id: 'p1', _version: 1, title: 'Big deal', partners: [ID] }], next_cursor: null },
    });
    renderRecord(appWith({ customer: { actions: ['view', 'edit'], readonly: [] }, contact: { actions: ['view', 'create'], readonly: [] }, project: { actions: ['view'], readonly: [] } }));

    const related = await screen.findByTestId('related');
    expect(within(related).queryByText('Payment')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('related-count-contact.customer')).toHaveTextContent('2'));
    expect(screen.getByTestId('related-tab-project.partners')).toHaveTextContent('Project · Partners');
    await waitFor(() => expect(screen.getByTestId('related-count-project.partners')).toHaveTextContent('1'));
    const table = await screen.findByTestId('related-table-contact');
    expect(await within(table).findByRole('link', { name: 'Ann' })).toHaveAttribute('href', '/apps/crm/forms/contact/records/c1');
    // the back-relation is not a column; the filter is equality on it
    expect(within(table).queryByRole('columnheader', { name: 'Customer' })).not.toBeInTheDocument();
    const contactFilters = calls.filter((c) => c.url.startsWith(`${RECORDS('contact')}?`)).map((c) => filterOf(c.url));
    expect(contactFilters).toContain(JSON.stringify({ '==': [{ var: 'customer' }, ID] }));

    // a multiple relation filters by membership
    await userEvent.click(screen.getByTestId('related-tab-project.partners'));
    expect(await screen.findByRole('link', { name: 'Big deal' })).toBeInTheDocument();
    const projectFilters = calls.filter((c) => c.url.startsWith(`${RECORDS('project')}?`)).map((c) => filterOf(c.url));
    expect(projectFilters).toContain(JSON.stringify({ in: [ID, { var: 'partners' }] }));
    // project: view only, so no "New" button there; customer: no delete or print
    expect(screen.queryByTestId('related-new-project')).not.toBeInTheDocument();
    expect(screen.queryByTestId('record-delete')).not.toBeInTheDocument();
    expect(screen.queryByTestId('record-print')).not.toBeInTheDocument();
    expect(screen.getByTestId('record-edit')).toBeInTheDocument();
  });

  it('"New contact" opens the new-record page linked to this record, and comes back to it', async () => {
    mockFetch({
      [`GET ${RECORDS('customer')}/${ID}`]: { _id: ID, _version: 3, name: 'ACME' },
      [`GET ${RECORDS('customer')}/${ID}/history`]: { items: [] },
      [`GET ${RECORDS('contact')}/count`]: { count: 0, exact: true },
      [`GET ${RECORDS('contact')}`]: { items: [], next_cursor: null },
      [`GET ${RECORDS('customer')}`]: { items: [{ _id: ID, _version: 3, name: 'ACME' }], next_cursor: null },
      'GET /api/v1/apps/crm': () => appWith(undefined),
    });
    renderRecord(appWith({ customer: { actions: all, readonly: [] }, contact: { actions: ['view', 'create'], readonly: [] } }));
    expect(await screen.findByText('No Contact linked to this record yet.')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('related-new-contact'));
    const where = await screen.findByTestId('where');
    const url = new URL(where.textContent!, 'http://x');
    expect(url.pathname).toBe('/apps/crm/forms/contact/new');
    expect(JSON.parse(url.searchParams.get('prefill')!)).toEqual({ customer: ID });
    expect(url.searchParams.get('back')).toBe(`/apps/crm/forms/customer/records/${ID}?related=contact.customer`);
    // the relation picker starts on the customer
    expect(await within(screen.getByTestId('field-customer')).findByText('ACME')).toBeInTheDocument();
  });
});
