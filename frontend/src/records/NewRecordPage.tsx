import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Card } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { keys, recordsApi } from '../api/queries';
import type { FormDef } from '../api/types';
import '../fields';
import { isEditable } from '../fields';
import { RecordForm } from '../form/RecordForm';
import { useI18n } from '../i18n/I18nProvider';
import { paths, safeNext } from '../lib/paths';
import { ResultView } from '../lib/ResultView';
import { useTitle } from '../lib/useTitle';
import { BACK_PARAM, can, isReadonlyFor, PREFILL_PARAM, readPrefill } from '../related/relations';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useFormPage } from './useFormPage';

/**
 * The form with the URL's prefill (`?prefill={"customer":"<id>"}`) as the defaults of the fields
 * the caller may fill, so "New follow-up" on a customer's page starts linked to that customer.
 */
function withPrefill(form: FormDef, prefill: Record<string, unknown>, readonly: (field: string) => boolean): FormDef {
  if (Object.keys(prefill).length === 0) return form;
  return {
    ...form,
    fields: form.fields.map((field) =>
      field.key in prefill && isEditable(field) && !readonly(field.key) ? { ...field, default: prefill[field.key] } : field,
    ),
  };
}

export default function NewRecordPage() {
  const { t, text } = useI18n();
  const { app, form } = useFormPage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const prefillText = params.get(PREFILL_PARAM);
  const back = params.get(BACK_PARAM) ? safeNext(params.get(BACK_PARAM)) : undefined;
  const prepared = useMemo(
    () => (form ? withPrefill(form, readPrefill(prefillText), (key) => isReadonlyFor(app, form.key, key)) : undefined),
    [app, form, prefillText],
  );
  useTitle(form ? t('form.newTitle', { form: text(form.name) }) : undefined, text(app.name));
  if (!form || !prepared) return <NotFoundPage detail={t('notFound.form')} />;
  // told at once, not after filling the form in and meeting the server's refusal on save
  if (!can(app, form.key, 'create')) return <ResultView status="403" title={t('error.forbidden')} subTitle={t('record.noCreate')} />;
  const list = paths.list(app.key, form.key);
  return (
    <div className="page page--form">
      <PageHeader title={t('form.newTitle', { form: text(form.name) })} onBack={() => navigate(back ?? list)} />
      <Card variant="borderless" className="form-card">
        <RecordForm
          app={app}
          form={prepared}
          onSubmit={(data) => recordsApi.create(app.key, form.key, data)}
          onSaved={(record) => {
            // a new record changes the counts and rollups of the records it points at, too
            void queryClient.invalidateQueries({ queryKey: back ? ['records', app.key] : keys.records(app.key, form.key) });
            navigate(back ?? paths.record(app.key, form.key, record._id), { replace: true });
          }}
          onCancel={() => navigate(back ?? list)}
        />
      </Card>
    </div>
  );
}
