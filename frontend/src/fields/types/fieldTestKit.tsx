/** Test helpers for the field editors: one small form holding the fields under test. */
import type { ReactElement } from 'react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { useMe } from '../../api/queries';
import type { AppDetail, FieldDef, FormDef, RecordData } from '../../api/types';
import { RecordForm } from '../../form/RecordForm';
import type { Locale } from '../../i18n/locale';
import { mockFetch } from '../../test/fetchMock';
import { crmApp } from '../../test/fixtures';
import { renderWithApp } from '../../test/render';
import '../index';

type Data = Record<string, unknown>;
export const l = (en: string, zh: string) => ({ en, 'zh-CN': zh });
export const ME = { id: 'u1', email: 'ann@example.com', name: 'Ann', is_admin: false, tenant: { key: 'main', name: 'Main' } };

export function demoApp(fields: FieldDef[]): { app: AppDetail; form: FormDef } {
  const form: FormDef = { key: 'visit', name: l('Visit', '拜访'), title_field: 'name', fields };
  return { form, app: { ...crmApp, key: 'demo', definition: { ...crmApp.definition, key: 'demo', forms: [form] } } };
}

/** Renders the form only once `me` is loaded, as the signed-in shell does (drafts need the user). */
function SignedIn({ children }: { children: ReactElement }) {
  return useMe().data ? children : null;
}

interface Options {
  record?: RecordData;
  routes?: Parameters<typeof mockFetch>[0];
  locale?: Locale;
  /** render as the signed-in shell does (GET /me answered first) */
  signedIn?: boolean;
  autosave?: boolean;
}

/** A RecordForm over `fields`, with fetch answered by `routes`; `onSubmit` receives the API data. */
export function renderFields(fields: FieldDef[], { record, routes = {}, locale = 'en', signedIn = false, autosave }: Options = {}) {
  const { calls } = mockFetch({ 'GET /api/v1/me': ME, ...routes });
  const { app, form } = demoApp(fields);
  const onSubmit = vi.fn(async (data: Data) => ({ _id: 'r1', _version: (record?._version ?? 0) + 1, ...data }) as RecordData);
  const onSaved = vi.fn();
  const ui = <RecordForm app={app} form={form} record={record} onSubmit={onSubmit} onSaved={onSaved} onCancel={vi.fn()} autosave={autosave} />;
  const result = renderWithApp(signedIn ? <SignedIn>{ui}</SignedIn> : ui, { locale });
  return { ...result, onSubmit, onSaved, calls };
}

export const fieldBox = (key: string) => screen.getByTestId(`field-${key}`);

/** Presses Save and answers the data the form sent. */
export async function saveAndRead(onSubmit: { mock: { calls: unknown[][] } }): Promise<unknown> {
  await userEvent.click(screen.getByTestId('form-save'));
  await waitFor(() => {
    if (onSubmit.mock.calls.length === 0) throw new Error('not sent yet');
  });
  return onSubmit.mock.calls[0][0];
}
