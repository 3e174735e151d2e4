import { Col, Empty, Row, Skeleton, Typography } from 'antd';
import { useApps, useMe } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { useTitle } from '../lib/useTitle';
import { AppTile } from './AppTile';
import { LoadError } from './LoadError';

function NoApps({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useI18n();
  return (
    <Empty
      className="home__empty"
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <Typography.Title level={4}>{t('home.emptyTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {isAdmin ? t('home.emptyAdmin') : t('home.emptyUser')}
          </Typography.Paragraph>
          {isAdmin && (
            <Typography.Text code copyable>
              tessera templates install crm
            </Typography.Text>
          )}
        </>
      }
    />
  );
}

/** The workspace: one tile per app the user can open. */
export function HomePage() {
  const { t } = useI18n();
  const me = useMe().data;
  const apps = useApps();
  useTitle(t('shell.home'));
  return (
    <main className="page page--narrow">
      <Typography.Title level={1} className="heading-as-h3" style={{ marginBottom: 4 }}>
        {t('home.greeting', { name: me?.name || me?.email || '' })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('home.subtitle')}</Typography.Paragraph>
      {apps.isPending && <Skeleton active />}
      {apps.isError && <LoadError error={apps.error} onRetry={() => void apps.refetch()} />}
      {apps.data && apps.data.length === 0 && <NoApps isAdmin={Boolean(me?.is_admin)} />}
      {apps.data && apps.data.length > 0 && (
        <Row gutter={[16, 16]}>
          {apps.data.map((app) => (
            <Col key={app.key} xs={24} sm={12} lg={8}>
              <AppTile app={app} />
            </Col>
          ))}
        </Row>
      )}
    </main>
  );
}
