import { useState } from 'react';
import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Empty, Form, Modal, Popconfirm, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import { isApiError } from '../api/errors';
import { keys, useApp, useApps } from '../api/queries';
import type { AppDefinition, FormDef, LocaleText } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { errorMessage } from '../lib/errorMessage';
import { LoadError } from '../shell/LoadError';
import { adminKeys, useDepartments, useMembers } from './api';
import { showFieldErrors } from './fieldErrors';
import { KeyedTitle } from './KeyedTitle';
import { PublishDialog } from './PublishDialog';
import { RoleEditor } from './RoleEditor';
import { ACTIONS, APP_ADMIN_ROLE, hasOtherChanges, roleProblems, rolesOf, sameJson, SCOPES, withRoles, type RoleDef, type RolePermission, type RoleProblem } from './roleModel';

export interface RoleAssignment {
  key: string;
  name: LocaleText | string | null;
  users: string[];
  departments: string[];
}

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
    typeof scope === 'string' && (SCOPES as readonly string[]).includes(scope) ? (
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
                    {(ACTIONS as readonly string[]).includes(a) ? t(`admin.roles.action.${a}` as MessageKey) : a}
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
      void queryClient.invalidateQueries({ queryKey: adminKeys.roles(app) });
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

/** The roles of the draft (what the editor changes) next to who holds each published role. */
function AppRoles({ app }: { app: string }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const detail = useApp(app);
  const draft = useQuery({
    queryKey: adminKeys.draft(app),
    queryFn: ({ signal }) => api.get<AppDefinition | null>(`/apps/${encodeURIComponent(app)}/draft`, undefined, signal),
  });
  const roles = useQuery({
    queryKey: adminKeys.roles(app),
    queryFn: ({ signal }) => api.get<{ items: RoleAssignment[] }>(`/apps/${encodeURIComponent(app)}/roles`, undefined, signal),
    select: (data) => data.items,
  });
  const members = useMembers().data ?? [];
  const departments = useDepartments().data ?? [];
  const [assigning, setAssigning] = useState<RoleAssignment | null>(null);
  const [editing, setEditing] = useState<{ role: RoleDef; index: number; isNew: boolean } | null>(null);
  const [problems, setProblems] = useState<RoleProblem[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [publishing, setPublishing] = useState<{ otherChanges: boolean } | null>(null);
  const queryClient = useQueryClient();
  const published = detail.data?.status === 'published' ? detail.data.definition : null;

  const save = useMutation({
    /** Re-reads the draft (someone may have changed it since), swaps in the roles, saves. */
    mutationFn: async ({ next }: { next: RoleDef[]; index: number; role: RoleDef | null }) => {
      const current = (await api.get<AppDefinition | null>(`/apps/${encodeURIComponent(app)}/draft`)) ?? published;
      if (!current) throw new Error('no definition');
      const otherChanges = hasOtherChanges(current, published);
      await api.put(`/apps/${encodeURIComponent(app)}/draft`, withRoles(current, next));
      return { otherChanges };
    },
    onSuccess: ({ otherChanges }) => {
      void queryClient.invalidateQueries({ queryKey: adminKeys.draft(app) });
      void queryClient.invalidateQueries({ queryKey: keys.app(app) });
      setEditing(null);
      setProblems([]);
      setGeneral(null);
      setPublishing({ otherChanges });
    },
    onError: (error, { index, role }) => {
      const mine = role && isApiError(error) ? roleProblems(error.errors, index, role) : [];
      setProblems(mine);
      const placed = isApiError(error) && error.errors.length > 0 && mine.length === error.errors.length;
      const text = placed ? null : errorMessage(error, t);
      if (role) setGeneral(text);
      else if (text) void message.error(text);
    },
  });

  if (roles.isError) return <LoadError error={roles.error} onRetry={() => void roles.refetch()} />;
  if (draft.isError) return <LoadError error={draft.error} onRetry={() => void draft.refetch()} />;
  if (roles.isPending || detail.isPending || draft.isPending) return <Skeleton active />;
  const definition = draft.data ?? published;
  const defs = rolesOf(definition);
  const publishedDefs = rolesOf(published);
  const forms = definition?.forms ?? [];
  const unpublished = !!draft.data && !!published && !sameJson(draft.data, published);
  const memberName = (email: string) => members.find((m) => m.email === email)?.name ?? email;
  const deptName = (key: string) => departments.find((d) => d.key === key)?.name ?? key;
  const holders = (key: string) => roles.data.find((r) => r.key === key);
  const startEdit = (role: RoleDef, index: number, isNew: boolean) => {
    setProblems([]);
    setGeneral(null);
    setEditing({ role, index, isNew });
  };
  const saveRole = (role: RoleDef) => {
    if (!editing) return;
    const next = [...defs];
    next.splice(editing.index, editing.isNew ? 0 : 1, role);
    save.mutate({ next, index: editing.index, role });
  };
  const remove = (key: string) => save.mutate({ next: defs.filter((r) => r.key !== key), index: -1, role: null });
  const adminRole = holders(APP_ADMIN_ROLE);

  const holderTags = (holder: RoleAssignment | undefined) =>
    !holder || (holder.users.length === 0 && holder.departments.length === 0) ? (
      <Typography.Text type="secondary">{t('admin.roles.nobody')}</Typography.Text>
    ) : (
      <Space size={[0, 6]} wrap>
        {holder.users.map((email) => <Tag key={email} title={email}>{memberName(email)}</Tag>)}
        {holder.departments.map((key) => <Tag key={key} color="purple" title={key}>{deptName(key)}</Tag>)}
      </Space>
    );
  const assignButton = (holder: RoleAssignment | undefined, key: string) => (
    <Button
      size="small"
      icon={<TeamOutlined />}
      disabled={!holder}
      title={holder ? undefined : t('admin.perm.publishFirst')}
      onClick={() => holder && setAssigning(holder)}
      data-testid={`role-assign-${key}`}
    >
      {t('admin.roles.assign')}
    </Button>
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {unpublished && (
        <Alert
          type="info"
          showIcon
          className="admin__alert-wrap"
          data-testid="roles-unpublished"
          title={t('admin.perm.draftUnpublished')}
          action={
            <Button size="small" onClick={() => setPublishing({ otherChanges: hasOtherChanges(draft.data ?? null, published) })} data-testid="roles-review-publish">
              {t('admin.perm.reviewPublish')}
            </Button>
          }
        />
      )}
      <div className="admin__toolbar">
        <Typography.Text type="secondary" className="admin__spacer">
          {t('admin.perm.intro')}
        </Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => startEdit({ key: '', name: {}, permissions: [] }, defs.length, true)}
          disabled={forms.length === 0}
          data-testid="role-new"
        >
          {t('admin.perm.new')}
        </Button>
      </div>
      {defs.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.perm.emptyRoles')} />}
      {defs.map((def, index) => {
        const holder = holders(def.key);
        const live = publishedDefs.find((p) => p.key === def.key);
        const name = text(def.name) || def.key;
        return (
          <Card
            key={def.key}
            size="small"
            className="admin__card"
            data-testid={`role-${def.key}`}
            title={
              <KeyedTitle name={name} itemKey={def.key}>
                {!live ? <Tag color="gold">{t('admin.perm.notPublished')}</Tag> : !sameJson(live, def) && <Tag color="gold">{t('admin.perm.changed')}</Tag>}
              </KeyedTitle>
            }
            extra={
              <Space size={4} wrap className="perm__card-actions">
                <Button size="small" type="primary" ghost icon={<EditOutlined />} onClick={() => startEdit(def, index, false)} data-testid={`role-edit-${def.key}`}>
                  {t('admin.perm.edit')}
                </Button>
                {assignButton(holder, def.key)}
                <Popconfirm
                  title={t('admin.perm.deleteConfirm', { role: name })}
                  description={t('admin.perm.deleteBody')}
                  okText={t('admin.perm.delete')}
                  okButtonProps={{ danger: true, 'data-testid': 'role-delete-confirm' }}
                  cancelText={t('action.cancel')}
                  onConfirm={() => remove(def.key)}
                >
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('admin.perm.delete')} title={t('admin.perm.delete')} data-testid={`role-delete-${def.key}`} />
                </Popconfirm>
              </Space>
            }
          >
            <div className="admin__holders">{holderTags(holder)}</div>
            <Collapse
              size="small"
              ghost
              items={[{ key: 'p', label: t('admin.roles.permissions'), children: <PermissionTable permissions={def.permissions} forms={forms} /> }]}
            />
          </Card>
        );
      })}
      <Card
        size="small"
        data-testid="role-admin"
        title={
          <KeyedTitle name={text(adminRole?.name ?? null) || t('admin.perm.appAdmin')} itemKey={APP_ADMIN_ROLE} />
        }
        extra={assignButton(adminRole, APP_ADMIN_ROLE)}
      >
        <div className="admin__holders">{holderTags(adminRole)}</div>
        <Typography.Text type="secondary">{t('admin.roles.adminAll')}</Typography.Text>
      </Card>
      {assigning && <AssignModal app={app} role={assigning} onClose={() => setAssigning(null)} />}
      {editing && (
        <RoleEditor
          key={`${editing.index}-${editing.role.key}`}
          role={editing.role}
          isNew={editing.isNew}
          forms={forms}
          takenKeys={defs.map((r) => r.key)}
          problems={problems}
          general={general}
          saving={save.isPending}
          onSave={saveRole}
          onClose={() => setEditing(null)}
        />
      )}
      {publishing && <PublishDialog app={app} otherChanges={publishing.otherChanges} onClose={() => setPublishing(null)} />}
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
          aria-label={t('admin.roles.app')}
          data-testid="roles-app"
        />
      </div>
      {app ? <AppRoles key={app} app={app} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.roles.noApps')} />}
    </div>
  );
}
