import { useState } from 'react';
import { DeleteOutlined, EditOutlined, LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Grid, Input, Modal, Popconfirm, Result, Select, Skeleton, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { useMe, useUsers } from '../api/queries';
import type { AppDetail, FormDef } from '../api/types';
import { showFieldErrors } from '../admin/fieldErrors';
import { useI18n } from '../i18n/I18nProvider';
import { formatWhen } from '../lib/dates';
import { errorMessage } from '../lib/errorMessage';
import { paths } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { can } from '../related/relations';
import { LoadError } from '../shell/LoadError';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useCurrentForm } from '../shell/appContext';
import { linksApi, type PublicLink } from './api';
import { EditLinkDialog } from './EditLinkDialog';
import { EmbedCode, EmbedOriginsItem, showEmbedErrors } from './embedding';
import './public.css';

interface NewLinkValues {
  name?: string;
  owner: string;
  password?: string;
  expires_at?: Dayjs | null;
  embed_origins?: string[];
}

/** The full address of a link, for the visitor (the API answers with its own path). */
export const publicUrl = (token: string) => `${window.location.origin}${paths.publicForm(token)}`;

/** Makes a link; then shows its address once (only its hash is stored, so it cannot be shown again). */
function NewLinkDialog({ app, form, title, open, onClose }: { app: string; form: string; title: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const me = useMe();
  const users = useUsers();
  const [fields] = Form.useForm<NewLinkValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [made, setMade] = useState<{ url: string; embedded: boolean }>();
  const close = () => {
    setMade(undefined);
    setProblem(undefined);
    onClose();
  };
  const create = async (values: NewLinkValues) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const link = await linksApi.create(app, form, {
        owner: values.owner,
        name: values.name?.trim() || undefined,
        password: values.password || undefined,
        expires_at: values.expires_at ? values.expires_at.toISOString() : undefined,
        embed_origins: values.embed_origins?.length ? values.embed_origins : undefined,
      });
      setMade({ url: publicUrl(link.token), embedded: link.embed_origins.length > 0 });
      void queryClient.invalidateQueries({ queryKey: ['public-links', app, form] });
    } catch (error) {
      if (!showEmbedErrors(fields, error, values.embed_origins ?? [], t) && !showFieldErrors(fields, error, ['owner', 'name', 'password', 'expires_at'])) {
        setProblem(errorMessage(error, t));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={made ? t('links.madeTitle') : t('links.new')}
      onCancel={close}
      destroyOnHidden
      footer={
        made ? (
          <Button type="primary" onClick={close} data-testid="link-done">
            {t('links.done')}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t('action.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => fields.submit()} data-testid="link-create">
              {t('action.create')}
            </Button>
          </>
        )
      }
    >
      {made ? (
        <div data-testid="link-made">
          <Alert type="warning" showIcon title={t('links.onceOnly')} style={{ marginBottom: 12 }} />
          <Typography.Paragraph copyable={{ text: made.url, tooltips: [t('links.copy'), t('links.copied')] }} className="links-created" data-testid="link-url">
            {made.url}
          </Typography.Paragraph>
          <a href={made.url} target="_blank" rel="noopener noreferrer">
            <LinkOutlined /> {t('links.openIt')}
          </a>
          {made.embedded && <EmbedCode url={made.url} title={title} />}
        </div>
      ) : (
        <Form<NewLinkValues>
          form={fields}
          layout="vertical"
          onFinish={create}
          preserve={false}
          initialValues={{ owner: me.data?.email }}
        >
          {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} role="alert" />}
          <Form.Item name="name" label={t('links.name')} extra={t('links.nameHelp')}>
            <Input maxLength={100} data-testid="link-name" />
          </Form.Item>
          <Form.Item name="owner" label={t('links.owner')} extra={t('links.ownerHelp')} rules={[{ required: true, message: t('links.ownerRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={users.isPending}
              options={(users.data ?? []).map((user) => ({ value: user.email, label: `${user.name} (${user.email})` }))}
              data-testid="link-owner"
            />
          </Form.Item>
          <Form.Item name="password" label={t('links.password')} extra={t('links.passwordHelp')}>
            <Input.Password autoComplete="new-password" data-testid="link-password" />
          </Form.Item>
          <Form.Item name="expires_at" label={t('links.expires')} extra={t('links.expiresHelp')}>
            <DatePicker showTime style={{ width: '100%' }} disabledDate={(day) => day.isBefore(dayjs(), 'day')} data-testid="link-expires" />
          </Form.Item>
          <EmbedOriginsItem testId="link-embed" />
        </Form>
      )}
    </Modal>
  );
}

function LinksTable({ app, form }: { app: string; form: string }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const links = useQuery({ queryKey: ['public-links', app, form], queryFn: ({ signal }) => linksApi.list(app, form, signal), select: (d) => d.items });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['public-links', app, form] });
  const [editing, setEditing] = useState<PublicLink>();
  const desktop = Grid.useBreakpoint().md;
  const act = async (work: Promise<unknown>, done: string) => {
    try {
      await work;
      message.success(done);
    } catch (error) {
      message.error(errorMessage(error, t));
    } finally {
      refresh();
    }
  };
  if (links.isError) return <LoadError error={links.error} onRetry={() => void links.refetch()} />;
  const expired = (link: PublicLink) => Boolean(link.expires_at && dayjs(link.expires_at).isBefore(dayjs()));
  const stateTags = (link: PublicLink) => (
    <span className="links-tags">
      {expired(link) ? <Tag color="default">{t('links.expired')}</Tag> : link.enabled ? <Tag color="green">{t('links.on')}</Tag> : <Tag>{t('links.off')}</Tag>}{' '}
      {link.has_password && <Tag color="blue">{t('links.withPassword')}</Tag>}
    </span>
  );
  const actions = (link: PublicLink) => (
    <span className="links-actions">
      <Switch
        size="small"
        checked={link.enabled}
        aria-label={link.enabled ? t('links.turnOff') : t('links.turnOn')}
        onChange={(on) => void act(linksApi.update(app, form, link.id, { enabled: on }), on ? t('links.turnedOn') : t('links.turnedOff'))}
        data-testid={`link-toggle-${link.id}`}
      />{' '}
      <Button type="text" size="small" icon={<EditOutlined />} aria-label={t('links.edit')} title={t('links.edit')} onClick={() => setEditing(link)} data-testid={`link-edit-${link.id}`} />
      <Popconfirm title={t('links.deleteTitle')} description={t('links.deleteBody')} okText={t('action.delete')} okButtonProps={{ danger: true }} cancelText={t('action.cancel')}
        onConfirm={() => act(linksApi.remove(app, form, link.id), t('links.deleted'))}>
        <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('action.delete')} data-testid={`link-delete-${link.id}`} />
      </Popconfirm>
    </span>
  );
  const nameOf = (link: PublicLink) => link.name || <span className="muted">{t('links.unnamed')}</span>;
  const expiry = (link: PublicLink) => (link.expires_at ? formatWhen(link.expires_at, locale) : t('links.never'));
  const embedding = (link: PublicLink) =>
    link.embed_origins.length ? (
      <span className="links-sites">{link.embed_origins.join(', ')}</span>
    ) : (
      <span className="muted">{t('links.embedNone')}</span>
    );
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('links.empty')} />;
  const dialog = editing && <EditLinkDialog app={app} form={form} link={editing} onClose={() => setEditing(undefined)} />;
  if (!desktop) {
    // a phone: one card per link, its switches and buttons in reach (a table would scroll them away)
    if (links.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
    return (
      <div className="links-cards" data-testid="links-list">
        {(links.data ?? []).length === 0 && empty}
        {(links.data ?? []).map((link) => (
          <div key={link.id} className="links-card" data-testid={`link-card-${link.id}`}>
            <div className="links-card__head">
              <Typography.Text strong ellipsis className="links-card__name">
                {nameOf(link)}
              </Typography.Text>
              {stateTags(link)}
            </div>
            <dl className="links-card__facts">
              <dt>{t('links.owner')}</dt>
              <dd>{link.owner}</dd>
              <dt>{t('links.expires')}</dt>
              <dd>{expiry(link)}</dd>
              <dt>{t('links.created')}</dt>
              <dd>{formatWhen(link.created_at, locale)}</dd>
              <dt>{t('links.embedLabel')}</dt>
              <dd>{embedding(link)}</dd>
            </dl>
            {actions(link)}
          </div>
        ))}
        {dialog}
      </div>
    );
  }
  const columns: TableColumnsType<PublicLink> = [
    { key: 'name', title: t('links.name'), render: (_, link) => nameOf(link) },
    { key: 'owner', title: t('links.owner'), dataIndex: 'owner' },
    { key: 'state', title: t('links.state'), render: (_, link) => stateTags(link) },
    { key: 'expires', title: t('links.expires'), render: (_, link) => expiry(link) },
    { key: 'created', title: t('links.created'), render: (_, link) => formatWhen(link.created_at, locale) },
    { key: 'embed', title: t('links.embedLabel'), render: (_, link) => embedding(link) },
    {
      key: 'actions',
      title: t('links.actionsTitle'),
      render: (_, link) => actions(link),
    },
  ];
  return (
    <>
      <Table<PublicLink>
        rowKey="id"
        size="middle"
        className="links-table"
        columns={columns}
        dataSource={links.data ?? []}
        loading={links.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: empty }}
        data-testid="links-table"
      />
      {dialog}
    </>
  );
}

function Links({ app, form }: { app: AppDetail; form: FormDef }) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  if (!can(app, form.key, 'manage')) {
    return <Result status="403" title={t('links.title')} subTitle={t('links.forbidden')} />;
  }
  return (
    <>
      <PageHeader
        title={t('links.title')}
        subtitle={text(form.name)}
        onBack={() => navigate(paths.list(app.key, form.key))}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="link-new">
            {t('links.new')}
          </Button>
        }
      />
      <Card variant="borderless">
        <Typography.Paragraph type="secondary">{t('links.intro')}</Typography.Paragraph>
        <LinksTable app={app.key} form={form.key} />
      </Card>
      <NewLinkDialog app={app.key} form={form.key} title={text(form.name)} open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

/** A form's public fill links, for the people who manage the form: make, copy once, turn off, delete. */
export default function LinksPage() {
  const { t, text } = useI18n();
  const { app, form } = useCurrentForm();
  useTitle(t('links.title'), form ? text(form.name) : undefined, text(app.name));
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  return (
    <div className="page page--narrow">
      <Links app={app} form={form} />
    </div>
  );
}
