import { useMemo, useState } from 'react';
import { CopyOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Alert,
  Button,
  Descriptions,
  Dropdown,
  Empty,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { formatWhen } from '../lib/dates';
import { LoadError } from '../shell/LoadError';
import { adminApi, adminKeys, useDepartments, useMembers, type Invitation, type Member, type OffboardResult } from './api';
import { showFieldErrors } from './fieldErrors';

interface MemberValues {
  name: string;
  email?: string;
  password?: string;
  position?: string;
  departments?: string[];
  main_department?: string;
  is_admin: boolean;
}

const FIELDS = ['name', 'email', 'password', 'position', 'departments', 'main_department', 'is_admin'];

/** Create (no `member`) or edit a member, with the server's field errors on the fields. */
function MemberModal({ member, open, onClose }: { member?: Member; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<MemberValues>();
  const [general, setGeneral] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const departments = useDepartments().data ?? [];
  const chosen = Form.useWatch('departments', form) ?? [];
  const save = useMutation({
    mutationFn: (values: MemberValues) => {
      const departmentsPart = values.departments?.length
        ? { departments: values.departments, main_department: values.main_department ?? values.departments[0] }
        : {};
      return member
        ? adminApi.updateMember(member.id, {
            name: values.name.trim(),
            position: values.position?.trim() || null,
            is_admin: values.is_admin,
            ...departmentsPart,
          })
        : adminApi.createMember({
            email: (values.email ?? '').trim(),
            name: values.name.trim(),
            password: values.password || undefined,
            departments: values.departments ?? [],
            main_department: values.departments?.length ? (values.main_department ?? values.departments[0]) : null,
            is_admin: values.is_admin,
          });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: adminKeys.members });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void message.success(member ? t('admin.members.saved') : t('admin.members.created', { name: saved.name }));
      onClose();
    },
    onError: (error) => {
      if (!showFieldErrors(form, error, FIELDS)) setGeneral(errorMessage(error, t));
    },
  });

  const deptOptions = departments.map((d) => ({ value: d.key, label: d.name }));
  return (
    <Modal
      open={open}
      title={member ? t('admin.members.edit') : t('admin.members.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'member-save' }}
      destroyOnHidden
      forceRender
    >
      {general && <Alert type="error" title={general} showIcon style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: member?.name ?? '', position: member?.position ?? '', is_admin: member?.is_admin ?? false, departments: [] }}
        onFinish={(values) => {
          setGeneral(null);
          save.mutate(values);
        }}
      >
        {!member && (
          <Form.Item
            name="email"
            label={t('admin.members.email')}
            rules={[
              { required: true, message: t('admin.required') },
              { type: 'email', message: t('admin.emailInvalid') },
            ]}
          >
            <Input autoComplete="off" data-testid="member-email" />
          </Form.Item>
        )}
        {member && (
          <Form.Item label={t('admin.members.email')}>
            <Typography.Text>{member.email}</Typography.Text>
          </Form.Item>
        )}
        <Form.Item name="name" label={t('admin.members.name')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
          <Input data-testid="member-name" />
        </Form.Item>
        {!member && (
          <Form.Item name="password" label={t('admin.members.password')} extra={t('admin.members.passwordHelp')}>
            <Input.Password autoComplete="new-password" data-testid="member-password" />
          </Form.Item>
        )}
        {member && (
          <Form.Item name="position" label={t('admin.members.position')}>
            <Input data-testid="member-position" />
          </Form.Item>
        )}
        <Form.Item name="departments" label={t('admin.members.departments')} extra={member ? t('admin.members.departmentsKeep') : undefined}>
          <Select mode="multiple" options={deptOptions} optionFilterProp="label" data-testid="member-departments" />
        </Form.Item>
        {chosen.length > 1 && (
          <Form.Item name="main_department" label={t('admin.members.mainDepartment')}>
            <Select options={deptOptions.filter((o) => chosen.includes(o.value))} />
          </Form.Item>
        )}
        <Form.Item name="is_admin" label={t('admin.members.isAdmin')} valuePropName="checked">
          <Switch data-testid="member-admin" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The one-time invitation link, with a copy button. */
function InviteModal({ member, invitation, onClose }: { member: Member; invitation: Invitation; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const url = new URL(invitation.url, window.location.origin).toString();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      void message.success(t('admin.members.copied'));
    } catch {
      void message.error(t('error.generic'));
    }
  };
  return (
    <Modal open title={t('admin.members.inviteTitle', { name: member.name })} onCancel={onClose} footer={<Button onClick={onClose}>{t('action.close')}</Button>}>
      <Typography.Paragraph>{t('admin.members.inviteBody', { at: formatWhen(invitation.expires_at, locale) })}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={url} data-testid="invite-url" onFocus={(e) => e.target.select()} />
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="invite-copy">
          {t('admin.members.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}

/** Hand a leaver's records to a successor: pick, confirm, then the counts of what moved. */
function OffboardModal({ member, members, onClose }: { member: Member; members: Member[]; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ successor: string }>();
  const [general, setGeneral] = useState<string | null>(null);
  const [result, setResult] = useState<OffboardResult | null>(null);
  const queryClient = useQueryClient();
  const offboard = useMutation({
    mutationFn: (successor: string) => adminApi.offboard(member.id, successor),
    onSuccess: (answer) => {
      setResult(answer);
      void queryClient.invalidateQueries({ queryKey: adminKeys.members });
    },
    onError: (error) => {
      if (!showFieldErrors(form, error, ['successor'])) setGeneral(errorMessage(error, t));
    },
  });
  const candidates = members
    .filter((m) => m.is_active && m.id !== member.id)
    .map((m) => ({ value: m.email, label: `${m.name} <${m.email}>` }));

  if (result) {
    return (
      <Modal open title={t('admin.members.offboardDone', { name: member.name })} onCancel={onClose} footer={<Button type="primary" onClick={onClose}>{t('action.close')}</Button>}>
        <Descriptions column={1} bordered size="small" data-testid="offboard-result">
          <Descriptions.Item label={t('admin.members.successor')}>{result.successor}</Descriptions.Item>
          <Descriptions.Item label={t('admin.members.recordsMoved')}>
            <Typography.Text strong data-testid="offboard-records">{result.records_total}</Typography.Text>
            {Object.entries(result.records).map(([form, count]) => (
              <div key={form} className="muted">
                {form}: {count}
              </div>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('admin.members.rolesRemoved')}>
            {result.roles_removed.length}
            {result.roles_removed.length > 0 && <div className="muted">{result.roles_removed.join(', ')}</div>}
          </Descriptions.Item>
          <Descriptions.Item label={t('admin.members.tokensRevoked')}>{result.tokens_revoked}</Descriptions.Item>
        </Descriptions>
      </Modal>
    );
  }
  return (
    <Modal
      open
      title={t('admin.members.offboardTitle', { name: member.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.members.offboardConfirm')}
      cancelText={t('action.cancel')}
      okButtonProps={{ danger: true, 'data-testid': 'offboard-confirm' }}
      confirmLoading={offboard.isPending}
    >
      <Alert type="warning" showIcon title={t('admin.members.offboardBody')} style={{ marginBottom: 16 }} />
      {general && <Alert type="error" title={general} showIcon style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          setGeneral(null);
          offboard.mutate(values.successor);
        }}
      >
        <Form.Item name="successor" label={t('admin.members.successor')} rules={[{ required: true, message: t('admin.members.successorRequired') }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={candidates} data-testid="offboard-successor" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; member: Member }
  | { kind: 'invite'; member: Member; invitation: Invitation }
  | { kind: 'offboard'; member: Member };

export default function MembersPage() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const desktop = Boolean(Grid.useBreakpoint().md);
  const members = useMembers();
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = members.data ?? [];
    return needle ? all.filter((m) => `${m.name} ${m.email}`.toLowerCase().includes(needle)) : all;
  }, [members.data, search]);

  const invite = async (member: Member) => {
    try {
      setDialog({ kind: 'invite', member, invitation: await adminApi.invite(member.id) });
    } catch (error) {
      void message.error(errorMessage(error, t));
    }
  };

  const toggleActive = (member: Member) => {
    const enable = !member.is_active;
    modal.confirm({
      title: t(enable ? 'admin.members.enableConfirm' : 'admin.members.disableConfirm', { name: member.name }),
      okText: t(enable ? 'admin.members.enable' : 'admin.members.disable'),
      okButtonProps: { danger: !enable, 'data-testid': 'confirm-ok' },
      cancelText: t('action.cancel'),
      onOk: async () => {
        try {
          await adminApi.updateMember(member.id, { is_active: enable });
          await queryClient.invalidateQueries({ queryKey: adminKeys.members });
          void message.success(t('admin.members.saved'));
        } catch (error) {
          void message.error(errorMessage(error, t));
        }
      },
    });
  };

  const columns: TableColumnsType<Member> = [
    {
      key: 'member',
      title: t('admin.members.name'),
      render: (_, m) => (
        <div className="admin__who">
          <Typography.Text strong>
            {m.name} {m.is_admin && <Tag color="blue">{t('admin.members.admin')}</Tag>}
          </Typography.Text>
          <Typography.Text type="secondary">{m.email}</Typography.Text>
          {!desktop && !m.is_active && (
            <span>
              <Tag>{t('admin.members.disabled')}</Tag>
            </span>
          )}
        </div>
      ),
    },
    ...(desktop
      ? [
          { key: 'position', title: t('admin.members.position'), render: (_: unknown, m: Member) => m.position || '—' },
          {
            key: 'status',
            title: t('admin.members.status'),
            render: (_: unknown, m: Member) =>
              m.is_active ? <Tag color="green">{t('admin.members.active')}</Tag> : <Tag>{t('admin.members.disabled')}</Tag>,
          },
        ]
      : []),
    {
      key: 'actions',
      // a phone's narrow column has no room for the word, but a screen reader still names it
      title: desktop ? t('admin.members.actions') : <span className="visually-hidden">{t('admin.members.actions')}</span>,
      align: 'right',
      width: desktop ? 160 : 96,
      render: (_, m) => {
        const self = m.id === me?.id;
        return (
          <Space size={4}>
            <Button size="small" onClick={() => setDialog({ kind: 'edit', member: m })} data-testid={`member-edit-${m.email}`}>
              {t('action.edit')}
            </Button>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'invite', label: t('admin.members.invite'), disabled: !m.is_active, onClick: () => void invite(m) },
                  {
                    key: 'toggle',
                    label: m.is_active ? t('admin.members.disable') : t('admin.members.enable'),
                    disabled: self,
                    danger: m.is_active,
                    onClick: () => toggleActive(m),
                  },
                  {
                    key: 'offboard',
                    label: t('admin.members.offboard'),
                    disabled: self || !m.is_active,
                    danger: true,
                    onClick: () => setDialog({ kind: 'offboard', member: m }),
                  },
                ],
              }}
            >
              <Button size="small" icon={<MoreOutlined />} aria-label={t('admin.members.more')} data-testid={`member-more-${m.email}`} />
            </Dropdown>
          </Space>
        );
      },
    },
  ];

  return (
    <div data-testid="admin-members">
      <div className="admin__toolbar">
        <Input.Search
          allowClear
          placeholder={t('admin.members.search')}
          className="admin__search"
          onChange={(e) => setSearch(e.target.value)}
          data-testid="member-search"
        />
        <span className="admin__spacer" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="member-new">
          {t('admin.members.new')}
        </Button>
      </div>
      {members.isError ? (
        <LoadError error={members.error} onRetry={() => void members.refetch()} />
      ) : members.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={search ? t('admin.members.noMatch') : t('admin.members.empty')} />
      ) : (
        <Table<Member>
          rowKey="id"
          columns={columns}
          dataSource={shown}
          pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          size={desktop ? 'middle' : 'small'}
          rowClassName={(m) => (m.is_active ? '' : 'muted')}
          data-testid="member-table"
        />
      )}
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
        <MemberModal open member={dialog.kind === 'edit' ? dialog.member : undefined} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'invite' && <InviteModal member={dialog.member} invitation={dialog.invitation} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'offboard' && <OffboardModal member={dialog.member} members={members.data ?? []} onClose={() => setDialog(null)} />}
    </div>
  );
}
