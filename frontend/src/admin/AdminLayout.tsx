import { Button, Result, Skeleton, Tabs } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { paths } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { LoadError } from '../shell/LoadError';
import './admin.css';

const SECTIONS: { key: string; label: MessageKey }[] = [
  { key: 'members', label: 'admin.tab.members' },
  { key: 'departments', label: 'admin.tab.departments' },
  { key: 'roles', label: 'admin.tab.roles' },
  { key: 'apps', label: 'admin.tab.apps' },
  { key: 'audit', label: 'admin.tab.audit' },
];

/** What a signed-in member who is not a platform admin sees at /admin/…. */
export function NoAccess() {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title={t('admin.noAccess')}
      subTitle={t('admin.noAccessBody')}
      data-testid="admin-no-access"
      extra={
        <Link to={paths.home()}>
          <Button type="primary">{t('notFound.home')}</Button>
        </Link>
      }
    />
  );
}

/** The admin area: only for platform admins; one tab per section, the section below. */
export default function AdminLayout() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const section = useLocation().pathname.split('/')[2] || 'members';
  useTitle(t('admin.title'));
  if (me.isPending) return <Skeleton active className="page" />;
  if (me.isError) return <LoadError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data.is_admin) return <NoAccess />;
  return (
    <main className="page page--narrow admin">
      {/* the tabs are the page's visible title; screen readers get its h1 */}
      <h1 className="visually-hidden">{t('admin.title')}</h1>
      <Tabs
        activeKey={section}
        onChange={(key) => void navigate(`/admin/${key}`)}
        items={SECTIONS.map((item) => ({ key: item.key, label: <span data-testid={`admin-tab-${item.key}`}>{t(item.label)}</span> }))}
        className="admin__tabs"
      />
      <Outlet />
    </main>
  );
}
