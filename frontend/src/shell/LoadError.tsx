import { Button } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { ResultView } from '../lib/ResultView';

/** What a page shows when its data could not be loaded. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <ResultView
      status="warning"
      title={t('error.loadFailed')}
      subTitle={errorMessage(error, t)}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            {t('action.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
