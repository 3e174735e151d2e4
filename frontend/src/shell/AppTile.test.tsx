import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppSummary } from '../api/types';
import { mockFetch } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { AppTile } from './AppTile';

const APP: AppSummary = {
  key: 'crm',
  name: { en: 'CRM', 'zh-CN': '客户管理' },
  version: '1.2.0',
  status: 'published',
  published_at: null,
  forms: [{ key: 'customer', name: { en: 'Customers' } }],
};

describe('AppTile', () => {
  it('shows the definition’s version label', async () => {
    mockFetch({});
    renderWithApp(<AppTile app={APP} />);
    expect(await screen.findByTestId('app-tile-crm')).toHaveTextContent('Version 1.2.0');
  });

  it('leaves the version out when the definition has none, instead of “Version null”', async () => {
    mockFetch({});
    renderWithApp(<AppTile app={{ ...APP, version: null }} />);
    const tile = await screen.findByTestId('app-tile-crm');
    expect(tile).toHaveTextContent('1 form');
    expect(tile).not.toHaveTextContent(/Version/);
  });
});
