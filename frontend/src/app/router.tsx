import { createBrowserRouter, type RouteObject } from 'react-router';
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
              { path: 'forms/:form', lazy: page(() => import('../records/ListPage')) },
              { path: 'forms/:form/new', lazy: page(() => import('../records/NewRecordPage')) },
              { path: 'forms/:form/records/:id', lazy: page(() => import('../records/RecordPage')) },
              { path: 'forms/:form/records/:id/edit', lazy: page(() => import('../records/EditRecordPage')) },
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

export function createAppRouter() {
  return createBrowserRouter(routes);
}
