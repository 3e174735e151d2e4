/**
 * The record form as the browser draws it, rendered to static markup: the app's own providers
 * (language, antd's theme and locale, queries, a router for the unsaved-changes guard) around
 * the real RecordForm, so every class, id and attribute is the one the app's first render has.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { AntdProvider } from '../../app/AntdProvider';
import type { AppDetail, FieldDef, FormDef, RecordData } from '../../api/types';
import '../../fields';
import { RecordForm } from '../../form/RecordForm';
import { I18nProvider } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/locale';

export const FORM_KEY = 'fp';
export const APP_KEY = 'fp';

/** An app holding one form of these fields (and other forms a relation may target). */
export function appOf(fields: FieldDef[], others: FormDef[] = []): AppDetail {
  const form: FormDef = { key: FORM_KEY, name: { en: 'Form', 'zh-CN': '表单' }, fields };
  return {
    key: APP_KEY,
    name: { en: 'App', 'zh-CN': '应用' },
    version: '1',
    status: 'published',
    published_at: null,
    has_draft: false,
    definition: { format: '1', key: APP_KEY, name: { en: 'App', 'zh-CN': '应用' }, version: '1', forms: [form, ...others] },
  };
}

const never = () => new Promise<never>(() => undefined);

/**
 * The markup of RecordForm for these fields: a new record's form (record omitted: the
 * fields' defaults) or a saved record's edit form. `cancel`: a Cancel button as the app's pages
 * give it; `queries`: answers already in the query cache (names the editors look up).
 */
export function renderForm(locale: Locale, app: AppDetail, record?: RecordData, cancel = true, queries: [unknown[], unknown][] = [], styles?: StyleCache): string {
  const form = app.definition.forms[0];
  const queryClient = new QueryClient();
  for (const [key, data] of queries) queryClient.setQueryData(key, data);
  const element = (
    <RecordForm app={app} form={form} record={record} onSubmit={never} onSaved={() => undefined} onCancel={cancel ? () => undefined : undefined} autosave={false} />
  );
  return renderRoutes(locale, queryClient, [{ path: '/', element }], '/', styles);
}

export type StyleCache = ReturnType<typeof createCache>;

export const newStyleCache = (): StyleCache => createCache();

/**
 * The style antd writes in the page's head for what was rendered with this cache: the theme's
 * CSS variables under the render's `css-var-…` class (with zeroRuntime, antd.css reads them;
 * the browser's render names that class after its own React id, the server render after its own).
 */
export const stylesOf = (cache: StyleCache): string => extractStyle(cache, { plain: true, types: ['cssVar', 'token'] });

/**
 * Static markup of these routes at `url`, inside what main.tsx's Root gives every page (queries,
 * the language, antd's theme and locale) and a memory router (the form's unsaved-changes guard
 * needs a data router); `styles`: where antd registers the styles it would write.
 */
export function renderRoutes(locale: Locale, client: QueryClient, routes: RouteObject[], url: string, styles?: StyleCache): string {
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const routed = <RouterProvider router={router} />;
  const page = styles ? <StyleProvider cache={styles}>{routed}</StyleProvider> : routed;
  return renderToStaticMarkup(<QueryClientProvider client={client}><I18nProvider locale={locale}><AntdProvider>{page}</AntdProvider></I18nProvider></QueryClientProvider>);
}
