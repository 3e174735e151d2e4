import { useQueryClient } from '@tanstack/react-query';
import { Card } from 'antd';
import { useNavigate } from 'react-router';
import { keys, recordsApi } from '../api/queries';
import '../fields';
import { RecordForm } from '../form/RecordForm';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useFormPage } from './useFormPage';

export default function NewRecordPage() {
  const { t, text } = useI18n();
  const { app, form } = useFormPage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useTitle(form ? t('form.newTitle', { form: text(form.name) }) : undefined, text(app.name));
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  const list = paths.list(app.key, form.key);
  return (
    <div className="page page--form">
      <PageHeader title={t('form.newTitle', { form: text(form.name) })} onBack={() => navigate(list)} />
      <Card variant="borderless" className="form-card">
        <RecordForm
          app={app}
          form={form}
          onSubmit={(data) => recordsApi.create(app.key, form.key, data)}
          onSaved={(record) => {
            void queryClient.invalidateQueries({ queryKey: keys.records(app.key, form.key) });
            navigate(paths.record(app.key, form.key, record._id), { replace: true });
          }}
          onCancel={() => navigate(list)}
        />
      </Card>
    </div>
  );
}
