/**
 * The form page's template (`page.form`, docs/first-paint.md §1): the app's own route tree for a
 * form page (WorkspaceLayout's top bar, AppLayout's side bar or phone bar, NewRecordPage /
 * EditRecordPage with their header, card and RecordForm) rendered with sentinel names, at a
 * desktop and at a phone width, new and edit; jinja.ts folds them into one template over `page`.
 */
import { QueryClient } from '@tanstack/react-query';
import { Outlet } from 'react-router';
import type { AppDetail, AppSummary, FieldDef, FormDef, Me, RecordData } from '../../api/types';
import { keys } from '../../api/queries';
import type { Locale } from '../../i18n/locale';
import { AppLayout } from '../../shell/AppLayout';
import { WorkspaceLayout } from '../../shell/WorkspaceLayout';
import NewRecordPage from '../../records/NewRecordPage';
import EditRecordPage from '../../records/EditRecordPage';
import { renderRoutes, type StyleCache } from './harness';

export const P = {
  app: 'ZZfpAPPzz',
  appName: 'ZZfpAPPNAMEzz',
  user: 'ZZfpUSERzz',
  form: 'ZZfpFORMAzz',
  other: 'ZZfpFORMBzz',
  formName: 'ZZfpFORMNAMEAzz',
  otherName: 'ZZfpFORMNAMEBzz',
  title: 'ZZfpTITLEzz',
  cell: 'zzfpcell',
} as const;

/** The phone and desktop widths the page is drawn at (either side of BREAKPOINT). */
export const WIDTHS = { desktop: 1280, phone: 390 } as const;

const names = (text: string) => ({ en: text, 'zh-CN': text });

/** The names a page is drawn with: the sentinels (P) for the template, real ones in a test. */
export interface PageNames {
  appName: string;
  user: string;
  formName: string;
  otherName: string;
  /** the edited record's title */
  title: string;
}

const SENTINEL_NAMES: PageNames = { appName: P.appName, user: P.user, formName: P.formName, otherName: P.otherName, title: P.title };

/** What GET /apps/{app}'s `access` lists for a platform or app admin (apps.service ACTIONS). */
const ALL_ACTIONS = ['view', 'create', 'edit', 'delete', 'import', 'export', 'print', 'manage'];

/**
 * The query cache a signed-in page load has when the form page renders: me, the apps, the app
 * (with the caller's access: `manage` on the open form or not, which shows FormNav's public
 * links entry under it), the record.
 */
function pageQueries(given: PageNames, manage: boolean): QueryClient {
  const field: FieldDef = { key: P.cell, type: 'text', label: names('x') };
  const form: FormDef = { key: P.form, name: names(given.formName), title_field: P.cell, fields: [field] };
  const other: FormDef = { key: P.other, name: names(given.otherName), fields: [] };
  const app: AppDetail = {
    key: P.app,
    name: names(given.appName),
    version: '1',
    status: 'published',
    published_at: null,
    has_draft: false,
    definition: { format: '1', key: P.app, name: names(given.appName), version: '1', forms: [form, other] },
    access: {
      [P.form]: { actions: manage ? ALL_ACTIONS : ALL_ACTIONS.filter((action) => action !== 'manage'), readonly: [] },
      [P.other]: { actions: ALL_ACTIONS, readonly: [] },
    },
  };
  const summary: AppSummary = { key: P.app, name: app.name, version: '1', status: 'published', published_at: null, forms: [] };
  const me: Me = { id: 'fp-user', email: 'fp@example.com', name: given.user, is_admin: false, tenant: { key: 't', name: 't' } };
  const client = new QueryClient();
  client.setQueryData(keys.me, me);
  client.setQueryData(keys.apps, { items: [summary] });
  client.setQueryData(keys.app(P.app), app);
  client.setQueryData(keys.record(P.app, P.form, RECORD_ID), { _id: RECORD_ID, _version: 1, [P.cell]: given.title } satisfies RecordData);
  return client;
}

const RECORD_ID = 'fp-record';

export type PageKind = 'new' | 'edit';

/**
 * The app's markup of a form page, at the width the window has now (the caller sets it).
 * `manage`: the caller may manage the open form (the template is drawn with it: the side bar's
 * public links entry is there, pageTemplate.ts folds it into `{% if item.links %}`).
 */
export function renderPage(locale: Locale, kind: PageKind, styles?: StyleCache, given: PageNames = SENTINEL_NAMES, manage = true): string {
  const client = pageQueries(given, manage);
  const url = kind === 'new' ? `/apps/${P.app}/forms/${P.form}/new` : `/apps/${P.app}/forms/${P.form}/records/${RECORD_ID}/edit`;
  const routes = [
    {
      path: '/',
      element: <Outlet />,
      children: [
        {
          element: <WorkspaceLayout />,
          children: [
            {
              path: 'apps/:app',
              element: <AppLayout />,
              children: [
                { path: 'forms/:form/new', element: <NewRecordPage /> },
                { path: 'forms/:form/records/:id/edit', element: <EditRecordPage /> },
              ],
            },
          ],
        },
      ],
    },
  ];
  return renderRoutes(locale, client, routes, url, styles);
}
