import { useState } from 'react';
import { App, Checkbox, Form, Input, Modal } from 'antd';
import { isApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { viewsApi, type ViewItem, type ViewSettings } from './api';

interface Props {
  app: string;
  form: string;
  /** saving the list as a new view, or renaming (and sharing) the open one */
  naming: 'new' | 'rename';
  /** the open saved view (renamed in 'rename') */
  selected: ViewItem | undefined;
  /** the list's settings as a new view saves them */
  settings: ViewSettings;
  canShare: boolean;
  /** refetches the views after a change */
  refresh: () => Promise<unknown>;
  /** a new view was saved: the list now shows it */
  onSaved: (view: ViewItem) => void;
  onClose: () => void;
}

/**
 * The name dialog of the views menu. Its own module so that its Modal, Form, Input and Checkbox
 * load when someone first saves or renames a view, not with every list (SavedViewsMenu mounts
 * it lazily).
 */
export function SaveViewDialog({ app, form, naming, selected, settings, canShare, refresh, onSaved, onClose }: Props) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [editor] = Form.useForm<{ name: string; shared: boolean }>();

  const submit = async () => {
    const values = await editor.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setBusy(true);
    try {
      if (naming === 'rename' && selected) {
        const renamed = await viewsApi.update(app, form, selected.id, { name: values.name, shared: values.shared });
        await refresh();
        message.success(t('views.saved', { name: text(renamed.name) }));
      } else {
        const saved = await viewsApi.create(app, form, { ...settings, name: values.name, shared: values.shared });
        await refresh();
        onSaved(saved);
        message.success(t('views.saved', { name: text(saved.name) }));
      }
      onClose();
    } catch (error) {
      const nameProblem = isApiError(error) ? error.errors.find((e) => e.path === 'name' || e.path === 'shared') : undefined;
      if (nameProblem) editor.setFields([{ name: nameProblem.path === 'name' ? 'name' : 'shared', errors: [isApiError(error) ? error.problem.detail ?? nameProblem.message : nameProblem.message] }]);
      else message.error(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={naming === 'rename' ? t('views.rename') : t('views.saveAs')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      okButtonProps={{ loading: busy, 'data-testid': 'view-save-submit' } as never}
      destroyOnHidden
    >
      <Form
        form={editor}
        layout="vertical"
        initialValues={naming === 'rename' && selected ? { name: text(selected.name), shared: selected.shared } : { name: '', shared: false }}
        onFinish={() => void submit()}
      >
        <Form.Item name="name" label={t('views.name')} rules={[{ required: true, whitespace: true, message: t('views.nameRequired') }]}>
          <Input maxLength={100} autoFocus data-testid="view-name" />
        </Form.Item>
        {canShare && (
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox data-testid="view-share">{t('views.share')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
