import { useState } from 'react';
import { TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Empty, Form, Modal, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useApp, useApps } from '../api/queries';
import type { FormDef, LocaleText } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { errorMessage } from '../lib/errorMessage';
import { LoadError } from '../shell/LoadError';
import { useDepartments, useMembers } from './api';
import { showFieldErrors } from './fieldErrors';

export interface RoleAssignment {
  key: string;
  name: LocaleText | string | null;
  users: string[];
  departments: string[];
}

export interface RolePermission {
  form: string;
  actions?: string[];
  scope?: unknown;
  fields?: { hidden?: string[]; readonly?: string[] };
}

interface RoleDef {
  key: string;
  name?: LocaleText | string;
  permissions?: RolePermission[];
}

const ACTIONS = ['view', 'create', 'edit', 'delete', 'import', 'export', 'print', 'manage'];
const SCOPES = ['own', 'subordinates', 'department', 'department_tree', 'all'];

const rolesKey = (app: string) => ['admin', 'roles', app] as const;

/** One role's permissions from the app definition: a row per form, read-only. */
export function PermissionTable({ permissions, forms }: { permissions: RolePermission[]; forms: FormDef[] }) {
  const { t, text } = useI18n();
  const formOf = (key: string) => forms.find((f) => f.key === key);
  const fieldNames = (form: string, keys: string[] | undefined) => {
    const def = formOf(form);
    return (keys ?? []).map((key) => {
      const field = def?.fields.find((f) => f.key === key);
      return <Tag key={key}>{field ? text(field.label) || key : key}</Tag>;
    });
  };
  const describe = (form: string, expr: unknown): string | null => {
    const def = formOf(form);
    const term = (x: unknown): string | null => {
      if (typeof x === 'string') return `“${x}”`;
      if (typeof x === 'number' || typeof x === 'boolean') return String(x);
      if (x && typeof x === 'object' && 'var' in x && typeof (x as { var: unknown }).var === 'string') {
        const name = (x as { var: string }).var;
        if (name === '$user') return t('admin.roles.var.user');
        if (name === '$department') return t('admin.roles.var.department');
        const field = def?.fields.find((f) => f.key === name);
        return field ? text(field.label) || name : name;
      }
      return null;
    };
    if (!expr || typeof expr !== 'object' || Array.isArray(expr)) return null;
    const entries = Object.entries(expr);
    if (entries.length !== 1 || !Array.isArray(entries[0][1])) return null;
    const [op, args] = entries[0] as [string, unknown[]];
    if ((op === 'and' || op === 'or') && args.length > 0) {
      const parts = args.map((a) => describe(form, a));
      if (parts.some((part) => part === null)) return null;
      return parts.map((part) => (args.length > 1 ? `(${part})` : part)).join(t(op === 'and' ? 'admin.roles.and' : 'admin.roles.or'));
    }
    if ((op === '==' || op === '!=') && args.length === 2) {
      const [a, b] = [term(args[0]), term(args[1])];
      return a && b ? `${a} ${op === '==' ? '=' : '≠'} ${b}` : null;
    }
    return null;
  };
  const scopeLabel = (form: string, scope: unknown) =>
    typeof scope === 'string' && SCOPES.includes(scope) ? (
      t(`admin.roles.scope.${scope}` as MessageKey)
    ) : scope === undefined || scope === null ? (
      t('admin.roles.scope.all')
    ) : (
      <span>
        {t('admin.roles.scope.expression')} {describe(form, scope) ?? <Typography.Text code>{JSON.stringify(scope)}</Typography.Text>}
      </span>
    );
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Table<RolePermission>
      size="small"
      rowKey="form"
      pagination={false}
      dataSource={permissions}
      scroll={{ x: 640 }}
      data-testid="permission-table"
      locale={{ emptyText: t('admin.roles.noPermissions') }}
      columns={[
        { key: 'form', title: t('admin.roles.form'), width: 120, render: (_, p) => { const f = formOf(p.form); return f ? text(f.name) : p.form; } },
        {
          key: 'actions',
          title: t('admin.roles.actions'),
          render: (_, p) =>
            p.actions?.length ? (
              <Space size={[0, 4]} wrap>
                {p.actions.map((a) => (
                  <Tag color="blue" key={a}>
                    {ACTIONS.includes(a) ? t(`admin.roles.action.${a}` as MessageKey) : a}
                  </Tag>
                ))}
              </Space>
            ) : (
              none
            ),
        },
        { key: 'scope', title: t('admin.roles.scope'), width: 200, render: (_, p) => scopeLabel(p.form, p.scope) },
        { key: 'hidden', title: t('admin.roles.hidden'), render: (_, p) => (p.fields?.hidden?.length ? fieldNames(p.form, p.fields.hidden) : none) },
        { key: 'readonly', title: t('admin.roles.readonly'), render: (_, p) => (p.fields?.readonly?.length ? fieldNames(p.form, p.fields.readonly) : none) },
      ]}
    />
  );
}

function AssignModal({ app, role, onClose }: { app: string; role: RoleAssignment; onClose: () => void }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ users: string[]; departments: string[] }>();
  const [general, setGeneral] = useState<string | null>(null);
  const members = useMembers().data ?? [];
  const departments = useDepartments().data ?? [];
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: { users: string[]; departments: string[] }) =>
      api.put(`/apps/${encodeURIComponent(app)}/roles/${encodeURIComponent(role.key)}/members`, {
        users: values.users ?? [],
        departments: values.departments ?? [],
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rolesKey(app) });
      void message.success(t('admin.members.saved'));
      onClose();
    },
    onError: (error) => {
      if (!showFieldErrors(form, error, ['users', 'departments'])) setGeneral(errorMessage(error, t));
    },
  });
  return (
    <Modal
      open
      title={t('admin.roles.assignTitle', { role: text(role.name ?? role.key) || role.key })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'role-save' }}
    >
      {general && <Alert type="error" title={general} showIcon style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ users: role.users, departments: role.departments }} onFinish={(v) => { setGeneral(null); save.mutate(v); }}>
        <Form.Item name="users" label={t('admin.roles.users')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={members.filter((m) => m.is_active || role.users.includes(m.email)).map((m) => ({ value: m.email, label: `${m.name} <${m.email}>` }))} data-testid="role-users" />
        </Form.Item>
        <Form.Item name="departments" label={t('admin.roles.departments')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={departments.map((d) => ({ value: d.key, label: `${d.name} (${d.key})` }))} data-testid="role-departments" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AppRoles({ app }: { app: string }) {
  const { t, text } = useI18n();
  const detail = useApp(app);
  const roles = useQuery({
    queryKey: rolesKey(app),
    queryFn: ({ signal }) => api.get<{ items: RoleAssignment[] }>(`/apps/${encodeURIComponent(app)}/roles`, undefined, signal),
    select: (data) => data.items,
  });
  const members = useMembers().data ?? [];
  const departments = useDepartments().data ?? [];
  const [editing, setEditing] = useState<RoleAssignment | null>(null);
  if (roles.isError) return <LoadError error={roles.error} onRetry={() => void roles.refetch()} />;
  if (roles.isPending || detail.isPending) return <Skeleton active />;
  const definition = detail.data?.definition;
  const defs = ((definition?.roles as RoleDef[] | undefined) ?? []);
  const forms = definition?.forms ?? [];
  if (roles.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.roles.empty')} />;
  const memberName = (email: string) => members.find((m) => m.email === email)?.name ?? email;
  const deptName = (key: string) => departments.find((d) => d.key === key)?.name ?? key;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {roles.data.map((role) => {
        const def = defs.find((d) => d.key === role.key);
        const name = text(role.name ?? def?.name ?? role.key) || role.key;
        return (
          <Card
            key={role.key}
            size="small"
            data-testid={`role-${role.key}`}
            title={
              <span>
                {name} <Typography.Text type="secondary" className="admin__dept-key">{role.key}</Typography.Text>
              </span>
            }
            extra={
              <Button size="small" icon={<TeamOutlined />} onClick={() => setEditing(role)} data-testid={`role-assign-${role.key}`}>
                {t('admin.roles.assign')}
              </Button>
            }
          >
            <div className="admin__holders">
              {role.users.length === 0 && role.departments.length === 0 ? (
                <Typography.Text type="secondary">{t('admin.roles.nobody')}</Typography.Text>
              ) : (
                <Space size={[0, 6]} wrap>
                  {role.users.map((email) => <Tag key={email} title={email}>{memberName(email)}</Tag>)}
                  {role.departments.map((key) => <Tag key={key} color="purple" title={key}>{deptName(key)}</Tag>)}
                </Space>
              )}
            </div>
            {role.key === 'admin' && !def ? (
              <Typography.Text type="secondary">{t('admin.roles.adminAll')}</Typography.Text>
            ) : (
              <Collapse
                size="small"
                ghost
                items={[{ key: 'p', label: t('admin.roles.permissions'), children: <PermissionTable permissions={def?.permissions ?? []} forms={forms} /> }]}
              />
            )}
          </Card>
        );
      })}
      {editing && <AssignModal app={app} role={editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

export default function RolesPage() {
  const { t, text } = useI18n();
  const apps = useApps();
  const [params, setParams] = useSearchParams();
  if (apps.isError) return <LoadError error={apps.error} onRetry={() => void apps.refetch()} />;
  if (apps.isPending) return <Skeleton active />;
  const published = apps.data.filter((a) => a.status === 'published' || a.published_at);
  const app = params.get('app') ?? published[0]?.key ?? '';
  return (
    <div data-testid="admin-roles">
      <div className="admin__toolbar">
        <Typography.Text>{t('admin.roles.app')}</Typography.Text>
        <Select
          className="admin__search"
          value={app || undefined}
          onChange={(value: string) => setParams({ app: value }, { replace: true })}
          options={published.map((a) => ({ value: a.key, label: text(a.name) || a.key }))}
          data-testid="roles-app"
        />
      </div>
      {app ? <AppRoles key={app} app={app} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.roles.noApps')} />}
    </div>
  );
}
