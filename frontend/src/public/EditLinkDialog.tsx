import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { showFieldErrors } from '../admin/fieldErrors';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { linksApi, type LinkChanges, type PublicLink } from './api';
import { EmbedOriginsItem, showEmbedErrors } from './embedding';

type PasswordMode = 'keep' | 'set' | 'remove';

interface EditValues {
  name?: string;
  enabled: boolean;
  expires_at?: Dayjs | null;
  mode: PasswordMode;
  password?: string;
  embed_origins?: string[];
}

/** The PATCH body for what the dialog changed (only those keys: the server leaves the rest). */
export function linkChanges(link: PublicLink, values: EditValues): LinkChanges {
  const body: LinkChanges = {};
  const name = values.name?.trim() ?? '';
  if (name !== (link.name ?? '')) body.name = name;
  if (values.enabled !== link.enabled) body.enabled = values.enabled;
  const expires = values.expires_at ? values.expires_at.toISOString() : null;
  const before = link.expires_at ? dayjs(link.expires_at).toISOString() : null;
  if (expires !== before) body.expires_at = expires;
  if (values.mode === 'set') body.password = values.password ?? '';
  if (values.mode === 'remove') body.password = '';
  const sites = values.embed_origins ?? [];
  if (sites.join('\n') !== link.embed_origins.join('\n')) body.embed_origins = sites;
  return body;
}

/**
 * Changes a link after it was made: its name, on/off, expiry, password and the sites that may
 * embed it. The address stays
 * the same (only its hash is stored, so a new one could not be shown to the people who have it).
 */
export function EditLinkDialog({ app, form, link, onClose }: { app: string; form: string; link: PublicLink; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [fields] = Form.useForm<EditValues>();
  const mode = Form.useWatch('mode', fields);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const expired = Boolean(link.expires_at && dayjs(link.expires_at).isBefore(dayjs()));

  const save = async (values: EditValues) => {
    const body = linkChanges(link, values);
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await linksApi.update(app, form, link.id, body);
      void queryClient.invalidateQueries({ queryKey: ['public-links', app, form] });
      message.success(t('links.editSaved'));
      onClose();
    } catch (error) {
      if (!showEmbedErrors(fields, error, values.embed_origins ?? [], t) && !showFieldErrors(fields, error, ['name', 'expires_at', 'password'])) {
        setProblem(errorMessage(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const passwordOptions = link.has_password
    ? [
        { value: 'keep', label: t('links.passwordKeep') },
        { value: 'set', label: t('links.passwordChange') },
        { value: 'remove', label: t('links.passwordRemove') },
      ]
    : [
        { value: 'keep', label: t('links.passwordNone') },
        { value: 'set', label: t('links.passwordSet') },
      ];

  return (
    <Modal
      open
      title={t('links.editTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('action.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => fields.submit()} data-testid="link-edit-save">
            {t('action.save')}
          </Button>
        </>
      }
    >
      <Form<EditValues>
        form={fields}
        layout="vertical"
        onFinish={save}
        initialValues={{
          name: link.name ?? '',
          enabled: link.enabled,
          expires_at: link.expires_at ? dayjs(link.expires_at) : null,
          mode: 'keep',
          embed_origins: link.embed_origins,
        }}
        data-testid="link-edit"
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} role="alert" />}
        {expired && <Alert type="warning" showIcon title={t('links.expiredHint')} style={{ marginBottom: 12 }} data-testid="link-edit-expired" />}
        <Form.Item name="name" label={t('links.name')} extra={t('links.nameHelp')}>
          <Input maxLength={100} data-testid="link-edit-name" />
        </Form.Item>
        <Form.Item name="enabled" label={t('links.enabledLabel')} valuePropName="checked">
          <Switch data-testid="link-edit-enabled" />
        </Form.Item>
        <Form.Item name="expires_at" label={t('links.expires')} extra={t('links.expiresHelp')}>
          <DatePicker
            showTime
            allowClear
            placeholder={t('links.never')}
            style={{ width: '100%' }}
            disabledDate={(day) => day.isBefore(dayjs(), 'day')}
            data-testid="link-edit-expires"
          />
        </Form.Item>
        <Form.Item name="mode" label={t('links.passwordLabel')} extra={mode === 'set' && link.has_password ? t('links.passwordChangeHelp') : undefined}>
          <Radio.Group options={passwordOptions} data-testid="link-edit-password-mode" />
        </Form.Item>
        {mode === 'set' && (
          <Form.Item name="password" label={t('links.newPassword')} rules={[{ required: true, message: t('links.newPasswordRequired') }]}>
            <Input.Password maxLength={128} autoComplete="new-password" autoFocus data-testid="link-edit-password" />
          </Form.Item>
        )}
        <EmbedOriginsItem testId="link-edit-embed" />
      </Form>
    </Modal>
  );
}
