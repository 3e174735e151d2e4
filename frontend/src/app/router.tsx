import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, type LoaderFunctionArgs, type RouteObject } from 'react-router';
import { prefetchAppPage } from '../api/queries';
import { adminRoute } from '../admin/routes';
import { RequireAuth } from '../auth/RequireAuth';
import { AppLayout, AppIndex } from '../shell/AppLayout';
import { HomePage } from '../shell/HomePage';
import { NotFoundPage } from '../shell/NotFoundPage';
import { RouteError } from '../shell/RouteError';
import { WorkspaceLayout } from '../shell/WorkspaceLayout';

/** Turns a module's default export into a lazily loaded route component. */
function page(load: () => Promise<{ default: React.ComponentType }>): RouteObject['lazy'] {
  return async () => ({ Component: (await load()).default });
}

/** The query cache route loaders prefetch into (set by createAppRouter; none in tests). */
let prefetchInto: QueryClient | null = null;

/**
 * A loader that starts a page's data calls with its chunk instead of after it and returns at
 * once (the page still reads everything through its own queries).
 */
function prefetch(what: { list?: boolean; record?: boolean }) {
  return ({ params, request }: LoaderFunctionArgs) => {
    const url = new URL(request.url);
    // Only when the address is already the page's (a load or reload: the slow, serial case): in
    // an in-app move the location is still the old page, and a 401 answer would send the user
    // to sign in and come back there instead of to the page they went to.
    const arrived = url.pathname + url.search === window.location.pathname + window.location.search;
    if (prefetchInto && arrived) {
      const plain = url.search === '';
      prefetchAppPage(prefetchInto, { app: params.app, form: params.form, list: what.list && plain, record: what.record ? params.id : undefined });
    }
    return null;
  };
}

export const routes: RouteObject[] = [
  { path: '/login', lazy: page(() => import('../auth/LoginPage')), errorElement: <RouteError /> },
  // a public fill link: no shell, no sign-in
  { path: '/f/:token', lazy: page(() => import('../public/PublicFormPage')), errorElement: <RouteError /> },
  {
    path: '/',
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <WorkspaceLayout />,
        children: [
          { index: true, element: <HomePage /> },
          {
            path: 'apps/:app',
            element: <AppLayout />,
            errorElement: <RouteError />,
            children: [
              { index: true, element: <AppIndex /> },
              { path: 'forms/:form', loader: prefetch({ list: true }), lazy: page(() => import('../records/ListPage')) },
              { path: 'forms/:form/new', loader: prefetch({}), lazy: page(() => import('../records/NewRecordPage')) },
              { path: 'forms/:form/records/:id', loader: prefetch({ record: true }), lazy: page(() => import('../records/RecordPage')) },
              { path: 'forms/:form/records/:id/edit', loader: prefetch({ record: true }), lazy: page(() => import('../records/EditRecordPage')) },
              { path: 'forms/:form/trash', lazy: page(() => import('../trash/TrashPage')) },
              { path: 'forms/:form/links', lazy: page(() => import('../public/LinksPage')) },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
          { ...adminRoute, errorElement: <RouteError /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createAppRouter(queryClient?: QueryClient) {
  prefetchInto = queryClient ?? null;
  return createBrowserRouter(routes);
}
