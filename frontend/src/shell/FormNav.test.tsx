import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDetail } from '../api/types';
import { mockFetch } from '../test/fetchMock';
import { crmApp, customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import type { ViewItem } from '../views/api';
import { FormNav } from './FormNav';

afterEach(() => vi.unstubAllGlobals());

const WAIT = { timeout: 15_000 };

const app: AppDetail = {
  ...crmApp,
  definition: {
    ...crmApp.definition,
    forms: [customerForm, { key: 'contact', name: { en: 'Contacts', 'zh-CN': '联系人' }, fields: [{ key: 'name', type: 'text', label: { en: 'Name' } }] }],
  },
  access: {
    customer: { actions: ['view', 'create', 'manage'], readonly: [] },
    contact: { actions: ['view'], readonly: [] },
  },
};

const VIEWS: ViewItem[] = [
  { id: 'v-mine', source: 'saved', name: 'My big ones', shared: false, readonly: false, editable: true, mine: true, type: 'table', sort: '-revenue', filter: { '>': [{ var: 'employees' }, 100] }, columns: ['name', 'revenue'] },
  { id: 'v-shared', source: 'saved', name: 'Team board', shared: true, readonly: false, editable: false, mine: false, type: 'kanban', group_by: 'level', owner: { id: 'u2', name: 'Bo' } },
  { id: 'definition:by_level', key: 'by_level', source: 'definition', name: { en: 'By level', 'zh-CN': '按级别' }, shared: true, readonly: true, editable: false, type: 'table', sort: 'level' },
];

function routes() {
  return mockFetch({
    'GET /api/v1/apps/crm/forms/customer/views': { items: VIEWS, can_share: true },
    'GET /api/v1/apps/crm/forms/contact/views': { items: [], can_share: true },
  });
}

function renderNav(url: string, locale: 'en' | 'zh-CN' = 'en') {
  return renderWithApp(<FormNav app={app} />, {
    url,
    path: '/apps/:app/forms/:form/*',
    locale,
  });
}

const item = (testId: string) => screen.getByTestId(testId).closest('li') as HTMLElement;

describe('FormNav', () => {
  it('shows the open form’s views under it, app views first, and opens one with its settings', async () => {
    const { calls } = routes();
    const { router } = renderNav('/apps/crm/forms/customer');
    await waitFor(() => expect(screen.getByTestId('nav-view-customer-definition:by_level')).toBeInTheDocument(), WAIT);
    const names = screen.getAllByRole('menuitem');
    expect(names.map((n) => n.textContent)).toEqual(expect.arrayContaining(['All records', 'By level', 'My big ones', 'Team board', 'Contacts']));
    const order = ['nav-view-customer-definition:by_level', 'nav-view-customer-v-mine', 'nav-view-customer-v-shared'].map((id) => screen.getByTestId(id));
    expect(order[0].compareDocumentPosition(order[1]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(order[1].compareDocumentPosition(order[2]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByText('Team board')).toHaveAttribute('title', 'Team board · Shared by Bo');
    // the plain list is "All records"
    expect(item('nav-all-customer')).toHaveClass('ant-menu-item-selected');
    // a form without views stays a plain item; links for the open form its user manages
    expect(screen.getByTestId('nav-form-contact')).toHaveClass('ant-menu-item');
    expect(screen.getByTestId('nav-links-customer')).toBeInTheDocument();

    await userEvent.click(screen.getByText('My big ones'));
    const location = router.state.location;
    expect(location.pathname).toBe('/apps/crm/forms/customer');
    const params = new URLSearchParams(location.search);
    expect(params.get('sv')).toBe('v-mine');
    expect(params.get('sort')).toBe('-revenue');
    expect(params.get('cols')).toBe('name,revenue');
    expect(JSON.parse(params.get('filter') ?? 'null')).toEqual({ '>': [{ var: 'employees' }, 100] });
    await waitFor(() => expect(item('nav-view-customer-v-mine')).toHaveClass('ant-menu-item-selected'));
    expect(item('nav-all-customer')).not.toHaveClass('ant-menu-item-selected');

    await userEvent.click(screen.getByText('Team board'));
    expect(new URLSearchParams(router.state.location.search).get('view')).toBe('kanban');
    expect(new URLSearchParams(router.state.location.search).get('group')).toBe('level');
    expect(calls.filter((c) => c.url.endsWith('/customer/views'))).toHaveLength(1);
  });

  it('highlights the view named in the address, and the form name opens the plain list', async () => {
    routes();
    const { router } = renderNav('/apps/crm/forms/customer?sv=v-shared&view=kanban&group=level');
    await waitFor(() => expect(item('nav-view-customer-v-shared')).toHaveClass('ant-menu-item-selected'), WAIT);
    await userEvent.click(screen.getByTestId('nav-form-customer'));
    expect(router.state.location.pathname).toBe('/apps/crm/forms/customer');
    expect(router.state.location.search).toBe('');
  });

  it('opens another form from its name, and its views with it', async () => {
    routes();
    const { router } = renderNav('/apps/crm/forms/contact');
    // the other forms' views load too (once the browser is idle): customer becomes a closed group
    await waitFor(() => expect(item('nav-form-customer')).toHaveClass('ant-menu-submenu'), WAIT);
    expect(screen.queryByTestId('nav-view-customer-v-mine')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('nav-form-customer'));
    expect(router.state.location.pathname).toBe('/apps/crm/forms/customer');
    await waitFor(() => expect(screen.getByTestId('nav-view-customer-v-mine')).toBeVisible(), WAIT);
    expect(item('nav-all-customer')).toHaveClass('ant-menu-item-selected');
  });

  it('is driven by the keyboard: arrows move, Enter opens, left and right fold a form’s views', async () => {
    routes();
    const { router } = renderNav('/apps/crm/forms/customer');
    await waitFor(() => expect(screen.getByTestId('nav-all-customer')).toBeInTheDocument(), WAIT);
    const title = screen.getByTestId('nav-form-customer').closest('[role="menuitem"]') as HTMLElement;
    title.focus();
    await userEvent.keyboard('{ArrowLeft}');
    expect(title).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByTestId('nav-all-customer')).not.toBeInTheDocument();
    await userEvent.keyboard('{ArrowRight}{ArrowDown}{ArrowDown}');
    expect(screen.getByTestId('nav-view-customer-definition:by_level')).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(new URLSearchParams(router.state.location.search).get('sv')).toBe('definition:by_level');
    await userEvent.keyboard('{End}');
    expect(screen.getByTestId('nav-form-contact')).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(router.state.location.pathname).toBe('/apps/crm/forms/contact');
  });

  it('speaks Chinese', async () => {
    routes();
    renderNav('/apps/crm/forms/customer', 'zh-CN');
    expect(await screen.findByText('按级别', {}, WAIT)).toBeInTheDocument();
    expect(screen.getByText('全部记录')).toBeInTheDocument();
    expect(screen.getByText('Team board')).toHaveAttribute('title', 'Team board · Bo 共享');
    expect(screen.getByText('客户')).toBeInTheDocument();
  });
});
