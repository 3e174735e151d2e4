import { Card, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { AppSummary } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';

const TILE_COLORS = ['#2f54eb', '#13c2c2', '#fa8c16', '#722ed1', '#52c41a', '#eb2f96', '#1677ff', '#faad14'];

function colorFor(key: string): string {
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return TILE_COLORS[hash % TILE_COLORS.length];
}

export function AppTile({ app }: { app: AppSummary }) {
  const { t, text } = useI18n();
  const name = text(app.name);
  return (
    <Link to={paths.app(app.key)} data-testid={`app-tile-${app.key}`} className="app-tile">
      <Card hoverable variant="borderless" className="app-tile__card">
        <div className="app-tile__icon" style={{ background: colorFor(app.key) }}>
          {Array.from(name)[0]?.toUpperCase()}
        </div>
        <div className="app-tile__body">
          <Typography.Text strong className="app-tile__name">
            {name}
          </Typography.Text>
          <Typography.Text type="secondary" className="app-tile__meta">
            {t('home.forms', { count: app.forms.length })}
            {app.version ? ` · ${t('home.version', { version: app.version })}` : null}
          </Typography.Text>
        </div>
        {app.status === 'draft' && <Tag className="app-tile__tag">{t('home.status.draft')}</Tag>}
      </Card>
    </Link>
  );
}
