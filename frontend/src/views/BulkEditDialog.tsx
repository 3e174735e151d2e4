import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal, Select, Typography } from 'antd';
import { api } from '../api/client';
import { keys, recordsPath } from '../api/queries';
import type { AppDetail, FormDef, RecordData } from '../api/types';
import { fieldType } from '../fields';
import { AppDefinitionContext, recordTitle } from '../fields/context';
import { toApi } from '../fields/registry';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { bulkEditableFields } from './bulkEditable';

interface RowResult {
  index: number;
  ok: boolean;
  _id?: string;
  errors?: { path: string; code: string; message: string }[];
}

interface BulkAnswer {
  ok: boolean;
  counts: { updated: number; failed: number };
  update: RowResult[];
}

interface Props {
  app: AppDetail;
  form: FormDef;
  records: RecordData[];
  readonly: string[];
  open: boolean;
  onClose: () => void;
  /** after the records were written (some may have failed) */
  onDone: () => void;
}

/**
 * Sets one field to one value on the selected records through POST …/records/bulk (`per_row`:
 * the good rows are written, each refused row is listed with the server's reason).
 */
export function BulkEditDialog({ app, form, records, readonly, open, onClose, onDone }: Props) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editor] = Form.useForm<{ field?: string; value?: unknown }>();
  const fieldKey = Form.useWatch('field', editor);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<{ record: RecordData; reason: string }[]>([]);
  const fields = bulkEditableFields(form, readonly);
  const field = fields.find((f) => f.key === fieldKey);
  const Input = field ? fieldType(field.type).Input : undefined;

  const submit = async () => {
    const values = await editor.validateFields().catch(() => null);
    if (!values || !field) return; // the form shows what is missing
    const data = { [field.key]: toApi(field, values.value) };
    setBusy(true);
    setFailed([]);
    try {
      const answer = await api.post<BulkAnswer>(`${recordsPath(app.key, form.key)}/bulk`, {
        mode: 'per_row',
        update: records.map((record) => ({ _id: record._id, _version: record._version, data })),
      });
      const refused = answer.update
        .filter((row) => !row.ok)
        .map((row) => ({ record: records[row.index], reason: (row.errors ?? []).map((e) => e.message).join('; ') }));
      void queryClient.invalidateQueries({ queryKey: keys.records(app.key, form.key) });
      if (refused.length === 0) {
        message.success(t('bulk.allDone', { count: answer.counts.updated }));
        editor.resetFields();
        onDone();
        onClose();
      } else {
        message.warning(t('bulk.done', { ok: answer.counts.updated, failed: refused.length }));
        setFailed(refused);
      }
    } catch (error) {
      message.error(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('bulk.title', { count: records.length })}
      onCancel={() => {
        setFailed([]);
        onClose();
      }}
      onOk={() => void submit()}
      okText={t('bulk.apply', { count: records.length })}
      okButtonProps={{ loading: busy, disabled: !field, 'data-testid': 'bulk-edit-submit' } as never}
      forceRender
    >
      {fields.length === 0 ? (
        <Alert type="info" showIcon title={t('bulk.noFields')} />
      ) : (
        <AppDefinitionContext.Provider value={app}>
          <Form form={editor} layout="vertical" data-testid="bulk-edit-form">
            <Form.Item name="field" label={t('bulk.field')} rules={[{ required: true, message: t('bulk.pickField') }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('bulk.pickField')}
                data-testid="bulk-edit-field"
                options={fields.map((f) => ({ value: f.key, label: text(f.label) }))}
                onChange={() => editor.setFieldValue('value', undefined)}
              />
            </Form.Item>
            {field && Input && (
              <Form.Item key={field.key} name="value" label={t('bulk.value')} extra={t('bulk.clearHint')} data-testid="bulk-edit-value">
                <Input field={field} />
              </Form.Item>
            )}
          </Form>
        </AppDefinitionContext.Provider>
      )}
      {failed.length > 0 && (
        <section className="bulk-failures" data-testid="bulk-edit-failures">
          <Typography.Text strong>{t('bulk.failedRows')}</Typography.Text>
          <ul>
            {failed.map(({ record, reason }) => (
              <li key={record._id}>
                <Typography.Text>{recordTitle(form, record)}</Typography.Text>
                <Typography.Text type="danger">{reason}</Typography.Text>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Modal>
  );
}
