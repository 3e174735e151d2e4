import { useQueryClient } from '@tanstack/react-query';
import { Card, Skeleton } from 'antd';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/errors';
import { keys, recordsApi, useRecord } from '../api/queries';
import '../fields';
import { recordTitle } from '../fields/context';
import { RecordForm } from '../form/RecordForm';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { ResultView } from '../lib/ResultView';
import { useTitle } from '../lib/useTitle';
import { can } from '../related/relations';
import { LoadError } from '../shell/LoadError';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useFormPage } from './useFormPage';

/** Edits one record; a caller without `edit` is told so instead of meeting a refusal on save. */
export default function EditRecordPage() {
  const { t, text } = useI18n();
  const { app, form, id } = useFormPage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const record = useRecord(app.key, form?.key ?? '', id);
  useTitle(form ? t('form.editTitle', { form: text(form.name) }) : undefined, text(app.name));
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  if (!can(app, form.key, 'edit')) return <ResultView status="403" title={t('error.forbidden')} subTitle={t('record.noEdit')} />;
  if (record.isError) {
    if (isApiError(record.error) && record.error.status === 404) return <NotFoundPage detail={t('notFound.record')} />;
    return <LoadError error={record.error} onRetry={() => void record.refetch()} />;
  }
  const back = paths.record(app.key, form.key, id);
  return (
    <div className="page page--form">
      <PageHeader
        title={record.data ? recordTitle(form, record.data) : t('form.editTitle', { form: text(form.name) })}
        subtitle={t('form.editTitle', { form: text(form.name) })}
        onBack={() => navigate(back)}
      />
      <Card variant="borderless" className="form-card">
        {record.isPending ? (
          <Skeleton active />
        ) : (
          <RecordForm
            key={`${record.data._id}:${record.data._version}`}
            app={app}
            form={form}
            record={record.data}
            onSubmit={(data) => recordsApi.update(app.key, form.key, id, data, record.data._version)}
            onSaved={(saved) => {
              queryClient.setQueryData(keys.record(app.key, form.key, id), saved);
              void queryClient.invalidateQueries({ queryKey: keys.records(app.key, form.key) });
              navigate(back);
            }}
            onCancel={() => navigate(back)}
            onReload={() => void record.refetch()}
          />
        )}
      </Card>
    </div>
  );
}
