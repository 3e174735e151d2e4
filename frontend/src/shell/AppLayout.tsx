import { lazy, memo, Suspense, useEffect, useMemo, useState } from 'react';
import { MenuOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { Navigate, Outlet, useParams } from 'react-router';
import { isApiError } from '../api/errors';
import { useApp } from '../api/queries';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { OneLine } from '../lib/OneLine';
import { paths } from '../lib/paths';
import { useDesktop } from '../lib/useDesktop';
import { whenIdle } from '../lib/whenIdle';
import { useDeleteWithUndo } from '../records/useDeleteWithUndo';
import type { AppContextValue } from './appContext';
import { useCurrentApp } from './appContext';
import { FormNav } from './FormNav';
import { FullPageSpinner } from './FullPageSpinner';
import { useLayoutClassNames, type LayoutClassNames } from './layoutClassNames';
import { LoadError } from './LoadError';
import { NotFoundPage } from './NotFoundPage';

const loadNavDrawer = () => import('./NavDrawer');
const NavDrawer = lazy(loadNavDrawer);

/**
 * On a phone the form menu lives in a drawer opened from a slim bar. The drawer's code comes
 * when the browser is idle after the page is drawn, and the drawer mounts at its first opening
 * (what antd's Drawer draws before that is nothing). The bar is the app's navigation on a phone
 * (the way into the forms, and which one is open), so a `nav` landmark, as a screen reader's
 * landmark list should find it; not a second `header`: the workspace's top bar is the banner.
 */
function PhoneNav({ app, classNames }: { app: AppDetail; classNames: LayoutClassNames }) {
  const { t, text } = useI18n();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  const formKey = useParams().form;
  const form = app.definition.forms.find((f) => f.key === formKey);
  useEffect(() => whenIdle(() => void loadNavDrawer(), 1000), []);
  return (
    <nav className="app-phonebar" aria-label={t('shell.appNav')}>
      <Button
        type="text"
        icon={<MenuOutlined />}
        aria-label={t('shell.openMenu')}
        onClick={() => {
          setOpened(true);
          setOpen(true);
        }}
        data-testid="nav-open"
      />
      <OneLine className={classNames.oneLine}>{form ? text(form.name) : text(app.name)}</OneLine>
      {opened && (
        <Suspense fallback={null}>
          <NavDrawer app={app} classNames={classNames} open={open} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </nav>
  );
}

const SIDER_WIDTH = { flex: '0 0 220px', maxWidth: 220, minWidth: 220, width: 220 };

/**
 * The desktop side bar: antd's `Layout.Sider` markup (a 220 px light sider) and a one-line
 * title, without the Sider's registration in its Layout (a second render of the whole layout on
 * every full page load) or Typography's ellipsis measuring. Memoised: the app changes, the
 * route does not re-render it (FormNav follows the route by itself).
 */
const SideNav = memo(function SideNav({ app, classNames }: { app: AppDetail; classNames: LayoutClassNames }) {
  const { text } = useI18n();
  return (
    <aside className={classNames.sider} style={SIDER_WIDTH}>
      <div className="ant-layout-sider-children">
        <OneLine className={classNames.title}>{text(app.name)}</OneLine>
        <FormNav app={app} />
      </div>
    </aside>
  );
});

/**
 * One app: its forms on the side (desktop) or in a drawer (phone), the page on the right.
 * It follows the route (`:app`, and the outlet), so it renders on every move inside the app:
 * the context handed to the pages and the navigation are memoised so such a move re-renders
 * neither the pages' context readers nor the side bar.
 */
export function AppLayout() {
  const { t } = useI18n();
  const key = useParams().app ?? '';
  const app = useApp(key);
  const desktop = useDesktop();
  const deleteRecords = useDeleteWithUndo(key);
  const classNames = useLayoutClassNames();
  const data = app.data;
  const context = useMemo<AppContextValue | undefined>(() => data && { app: data, deleteRecords }, [data, deleteRecords]);
  const nav = useMemo(() => data && (desktop ? <SideNav app={data} classNames={classNames} /> : <PhoneNav app={data} classNames={classNames} />), [data, desktop, classNames]);
  if (app.isPending) return <FullPageSpinner />;
  if (app.isError) {
    if (isApiError(app.error) && app.error.status === 404) return <NotFoundPage detail={t('notFound.app')} />;
    return <LoadError error={app.error} onRetry={() => void app.refetch()} />;
  }
  return (
    <div className={desktop ? classNames.withSider : classNames.layout}>
      {nav}
      <main className={classNames.content}>
        <Outlet context={context} />
      </main>
    </div>
  );
}

/** /apps/:app opens the app's first form. */
export function AppIndex() {
  const { t } = useI18n();
  const app = useCurrentApp();
  const first = app.definition.forms[0];
  if (!first) return <NotFoundPage detail={t('notFound.form')} />;
  return <Navigate to={paths.list(app.key, first.key)} replace />;
}
