import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { AntdProvider } from '../app/AntdProvider';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/locale';

interface Options {
  locale?: Locale;
  /** the URL the component is rendered at */
  url?: string;
  /** the route pattern of the component (default: the URL's path) */
  path?: string;
  /** child routes, when the component is a layout with an <Outlet> */
  children?: RouteObject[];
  /** other pages, to check where the component navigates */
  routes?: RouteObject[];
}

/** Renders a component with everything the app gives it: language, antd, queries, a router. */
export function renderWithApp(ui: ReactElement, { locale = 'en', url = '/', path, children, routes = [] }: Options = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter([{ path: path ?? url.split('?')[0], element: ui, children }, ...routes], {
    initialEntries: [url],
  });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <I18nProvider locale={locale}>
        <AntdProvider>
          <RouterProvider router={router} />
        </AntdProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient };
}
