import { Button } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { ResultView } from '../lib/ResultView';

/** The 404 page; `detail` says what was missing when the caller knows (an app, a form, a record). */
export function NotFoundPage({ detail }: { detail?: string }) {
  const { t } = useI18n();
  return (
    <ResultView
      status="404"
      title={t('notFound.title')}
      subTitle={detail ?? t('notFound.body')}
      extra={
        <Link to={paths.home()}>
          <Button type="primary">{t('notFound.home')}</Button>
        </Link>
      }
    />
  );
}
