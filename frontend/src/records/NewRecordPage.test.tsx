import { screen } from '@testing-library/react';
import { Outlet } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { AppDetail } from '../api/types';
import type { AppContextValue } from '../shell/appContext';
import { crmApp } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import NewRecordPage from './NewRecordPage';

function renderNew(actions: string[]) {
  const app: AppDetail = { ...crmApp, access: { customer: { actions, readonly: [] } } };
  const context: AppContextValue = { app, deleteRecords: vi.fn(async () => undefined) };
  return renderWithApp(<Outlet context={context} />, {
    url: '/apps/crm/forms/customer/new',
    path: '/',
    children: [{ path: 'apps/:app/forms/:form/new', element: <NewRecordPage /> }],
  });
}

describe('NewRecordPage', () => {
  it('tells a caller who may not create so, instead of a form the server would refuse', async () => {
    renderNew(['view']);
    expect(await screen.findByText('Your role may view these records but not add new ones.')).toBeInTheDocument();
    expect(screen.queryByTestId('field-name')).not.toBeInTheDocument();
  });

  it('shows the form to a caller who may create', async () => {
    renderNew(['view', 'create']);
    expect(await screen.findByTestId('field-name')).toBeInTheDocument();
  });
});
