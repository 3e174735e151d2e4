import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';

/** Lazily loads a page module's default export (the admin pages stay out of the first load). */
function page(load: () => Promise<{ default: React.ComponentType }>): RouteObject['lazy'] {
  return async () => ({ Component: (await load()).default });
}

/** The admin area under /admin: the layout checks `is_admin` before any section renders. */
export const adminRoute: RouteObject = {
  path: 'admin',
  lazy: page(() => import('./AdminLayout')),
  children: [
    { index: true, lazy: page(() => import('./MembersPage')) },
    { path: 'members', lazy: page(() => import('./MembersPage')) },
    { path: 'departments', lazy: page(() => import('./DepartmentsPage')) },
    { path: 'roles', lazy: page(() => import('./RolesPage')) },
    { path: 'apps', lazy: page(() => import('./AppsPage')) },
    { path: 'audit', lazy: page(() => import('./AuditPage')) },
    { path: '*', element: <NotFoundPage /> },
  ],
};
