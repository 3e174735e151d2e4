import { useState } from 'react';
import { MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Typography } from 'antd';
import { Navigate, Outlet, useParams } from 'react-router';
import { isApiError } from '../api/errors';
import { useApp } from '../api/queries';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { useDeleteWithUndo } from '../records/useDeleteWithUndo';
import type { AppContextValue } from './appContext';
import { useCurrentApp } from './appContext';
import { FormNav } from './FormNav';
import { FullPageSpinner } from './FullPageSpinner';
import { LoadError } from './LoadError';
import { NotFoundPage } from './NotFoundPage';

function AppTitle({ app }: { app: AppDetail }) {
  const { text } = useI18n();
  return (
    <Typography.Text strong ellipsis className="app-nav__title">
      {text(app.name)}
    </Typography.Text>
  );
}

/** On a phone the form menu lives in a drawer opened from a slim bar. */
function PhoneNav({ app }: { app: AppDetail }) {
  const { t, text } = useI18n();
  const [open, setOpen] = useState(false);
  const formKey = useParams().form;
  const form = app.definition.forms.find((f) => f.key === formKey);
  return (
    <div className="app-phonebar">
      <Button type="text" icon={<MenuOutlined />} aria-label={t('shell.openMenu')} onClick={() => setOpen(true)} data-testid="nav-open" />
      <Typography.Text strong ellipsis>
        {form ? text(form.name) : text(app.name)}
      </Typography.Text>
      <Drawer placement="left" open={open} onClose={() => setOpen(false)} size={280} title={<AppTitle app={app} />}>
        <FormNav app={app} onNavigate={() => setOpen(false)} />
      </Drawer>
    </div>
  );
}

/** One app: its forms on the side (desktop) or in a drawer (phone), the page on the right. */
export function AppLayout() {
  const { t } = useI18n();
  const key = useParams().app ?? '';
  const app = useApp(key);
  const desktop = Grid.useBreakpoint().md;
  const deleteRecords = useDeleteWithUndo(key);
  if (app.isPending) return <FullPageSpinner />;
  if (app.isError) {
    if (isApiError(app.error) && app.error.status === 404) return <NotFoundPage detail={t('notFound.app')} />;
    return <LoadError error={app.error} onRetry={() => void app.refetch()} />;
  }
  const context: AppContextValue = { app: app.data, deleteRecords };
  return (
    <Layout className="app-layout">
      {desktop ? (
        <Layout.Sider width={220} className="app-nav" theme="light">
          <AppTitle app={app.data} />
          <FormNav app={app.data} />
        </Layout.Sider>
      ) : (
        <PhoneNav app={app.data} />
      )}
      <Layout.Content className="app-content">
        <Outlet context={context} />
      </Layout.Content>
    </Layout>
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
