import { AppstoreOutlined, DownOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useApps } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';

/** Jumps between the apps the user can open; shows the current one. */
export function AppSwitcher({ compact }: { compact: boolean }) {
  const { t, text } = useI18n();
  const apps = useApps().data ?? [];
  const current = useParams().app;
  const navigate = useNavigate();
  if (apps.length === 0) return null;
  const currentApp = apps.find((app) => app.key === current);
  const label = currentApp ? text(currentApp.name) : t('shell.switchApp');
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: current ? [current] : [],
        items: apps.map((app) => ({ key: app.key, label: text(app.name) })),
        onClick: ({ key }) => navigate(paths.app(key)),
      }}
    >
      <Button type="text" icon={<AppstoreOutlined />} data-testid="app-switcher" aria-label={currentApp ? `${label} – ${t('shell.switchApp')}` : label}>
        <span className={compact ? 'app-switcher__label app-switcher__label--compact' : 'app-switcher__label'}>
          {label}
        </span>
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
