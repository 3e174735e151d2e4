import { Grid, Layout } from 'antd';
import { Link, Outlet } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { AppSwitcher } from './AppSwitcher';
import { Logo } from './Logo';
import { UserMenu } from './UserMenu';

/** The top bar every signed-in page shares. */
export function WorkspaceLayout() {
  const { t } = useI18n();
  const compact = !Grid.useBreakpoint().md;
  return (
    <Layout className="workspace">
      <Layout.Header className="topbar">
        <Link to={paths.home()} className="topbar__brand" aria-label={t('shell.home')}>
          <Logo />
          {!compact && <span className="topbar__name">{t('app.name')}</span>}
        </Link>
        <span className="topbar__divider" />
        <AppSwitcher compact={compact} />
        <span className="topbar__spacer" />
        <UserMenu compact={compact} />
      </Layout.Header>
      <Outlet />
    </Layout>
  );
}
