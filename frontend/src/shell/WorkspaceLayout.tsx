import { Link, Outlet } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { useDesktop } from '../lib/useDesktop';
import { AppSwitcher } from './AppSwitcher';
import { useLayoutClassNames } from './layoutClassNames';
import { Logo } from './Logo';
import { UserMenu } from './UserMenu';

/** The top bar every signed-in page shares (antd's Layout markup, see layoutClassNames). */
export function WorkspaceLayout() {
  const { t } = useI18n();
  const compact = !useDesktop();
  const classNames = useLayoutClassNames();
  return (
    <div className={classNames.workspace}>
      <header className={classNames.header}>
        {/* the name a screen reader says starts with the name shown (WCAG 2.5.3, label in name) */}
        <Link to={paths.home()} className="topbar__brand" aria-label={compact ? t('shell.home') : `${t('app.name')} – ${t('shell.home')}`}>
          <Logo />
          {!compact && <span className="topbar__name">{t('app.name')}</span>}
        </Link>
        <span className="topbar__divider" />
        <AppSwitcher compact={compact} />
        <span className="topbar__spacer" />
        <UserMenu compact={compact} />
      </header>
      <Outlet />
    </div>
  );
}
