import { useState } from 'react';
import { Alert, Button, Checkbox, Collapse, Drawer, Form, Grid, Input, Space, Table, Tag, Typography } from 'antd';
import type { FieldDef, FormDef } from '../api/types';
import { isEditable } from '../fields';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { ACTIONS, APP_ADMIN_ROLE, DEFAULT_SCOPE, permissionFor, ROLE_KEY, setPermission, type RoleDef, type RolePermission, type RoleProblem } from './roleModel';
import { ScopeEditor } from './ScopeEditor';

interface RoleEditorProps {
  role: RoleDef;
  /** a new role: its key can still be chosen */
  isNew: boolean;
  forms: FormDef[];
  /** keys other roles already use */
  takenKeys: string[];
  /** what the server refused, already narrowed to this role */
  problems: RoleProblem[];
  /** errors that name nothing on screen */
  general: string | null;
  saving: boolean;
  onSave: (role: RoleDef) => void;
  onClose: () => void;
}

function Problems({ problems }: { problems: RoleProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="perm__error">
      {problems.map((p, i) => (
        <Typography.Text type="danger" key={i}>
          {p.message}
        </Typography.Text>
      ))}
    </div>
  );
}

/** Hidden / read-only per field: one row a field, two checkboxes (a hidden field can't be edited
 * either, nor can a computed one — formula, rollup… —, so their read-only box is shown ticked and
 * disabled). */
function FieldPermissions({ form, permission, onChange }: { form: FormDef; permission: RolePermission; onChange: (p: RolePermission) => void }) {
  const { t, text } = useI18n();
  const hidden = permission.fields?.hidden ?? [];
  const readonly = permission.fields?.readonly ?? [];
  const toggle = (kind: 'hidden' | 'readonly', key: string, on: boolean) => {
    const list = kind === 'hidden' ? hidden : readonly;
    const next = on ? [...list, key] : list.filter((k) => k !== key);
    const fields = { hidden, readonly, [kind]: next };
    if (kind === 'hidden' && on) fields.readonly = readonly.filter((k) => k !== key);
    onChange({ ...permission, fields });
  };
  return (
    <Table<FieldDef>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={form.fields}
      data-testid={`fields-${form.key}`}
      columns={[
        { key: 'field', title: t('admin.perm.field'), render: (_, f) => text(f.label) || f.key },
        {
          key: 'hidden',
          title: t('admin.roles.hidden'),
          width: 96,
          align: 'center',
          render: (_, f) => (
            <Checkbox
              checked={hidden.includes(f.key)}
              onChange={(e) => toggle('hidden', f.key, e.target.checked)}
              aria-label={t('admin.perm.hideField', { field: text(f.label) || f.key })}
              data-testid={`hide-${form.key}-${f.key}`}
            />
          ),
        },
        {
          key: 'readonly',
          title: t('admin.roles.readonly'),
          width: 96,
          align: 'center',
          render: (_, f) => (
            <Checkbox
              checked={readonly.includes(f.key) || hidden.includes(f.key) || !isEditable(f)}
              disabled={hidden.includes(f.key) || !isEditable(f)}
              onChange={(e) => toggle('readonly', f.key, e.target.checked)}
              aria-label={t('admin.perm.readonlyField', { field: text(f.label) || f.key })}
              data-testid={`readonly-${form.key}-${f.key}`}
            />
          ),
        },
      ]}
    />
  );
}

/** One form's permission: actions, data scope and field permissions, each with its server error. */
function FormPermission({ form, permission, problems, onChange }: { form: FormDef; permission: RolePermission; problems: RoleProblem[]; onChange: (p: RolePermission) => void }) {
  const { t } = useI18n();
  const about = (prefix: string) => problems.filter((p) => p.rest === prefix || p.rest.startsWith(`${prefix}.`) || p.rest.startsWith(`${prefix}[`));
  const known = new Set(['actions', 'scope', 'fields.hidden', 'fields.readonly']);
  const other = problems.filter((p) => ![...known].some((k) => p.rest === k || p.rest.startsWith(`${k}.`) || p.rest.startsWith(`${k}[`)));
  const enabled = permission.actions.length > 0;
  return (
    <div className="perm__form" data-testid={`perm-${form.key}`}>
      <Problems problems={other} />
      <div className="perm__label" id={`perm-${form.key}-actions`}>
        {t('admin.roles.actions')}
      </div>
      <Checkbox.Group
        aria-labelledby={`perm-${form.key}-actions`}
        className="perm__actions"
        value={permission.actions}
        options={ACTIONS.map((a) => ({ value: a, label: t(`admin.roles.action.${a}` as MessageKey) }))}
        onChange={(actions) => {
          // keep the server's order so a saved definition reads the same way every time
          const ordered = ACTIONS.filter((a) => actions.includes(a)) as string[];
          onChange({ ...permission, actions: ordered, scope: permission.scope ?? (ordered.length ? DEFAULT_SCOPE : undefined) });
        }}
        data-testid={`actions-${form.key}`}
      />
      <Problems problems={about('actions')} />
      {enabled ? (
        <>
          <div className="perm__label">{t('admin.roles.scope')}</div>
          <ScopeEditor form={form} value={permission.scope} onChange={(scope) => onChange({ ...permission, scope })} />
          {permission.scope === null && <Typography.Text type="danger">{t('admin.perm.scopeIncomplete')}</Typography.Text>}
          <Problems problems={about('scope')} />
          <div className="perm__label">{t('admin.perm.fields')}</div>
          <FieldPermissions form={form} permission={permission} onChange={onChange} />
          <Problems problems={[...about('fields.hidden'), ...about('fields.readonly')]} />
        </>
      ) : (
        <Typography.Paragraph type="secondary" className="perm__none">
          {t('admin.perm.noAccess')}
        </Typography.Paragraph>
      )}
    </div>
  );
}

/** The summary beside a form's name: how many actions, and whether fields are restricted. */
function FormSummary({ permission }: { permission: RolePermission }) {
  const { t } = useI18n();
  if (permission.actions.length === 0) return <Tag>{t('admin.perm.noAccessShort')}</Tag>;
  const restricted = (permission.fields?.hidden?.length ?? 0) + (permission.fields?.readonly?.length ?? 0);
  return (
    <Space size={4} wrap>
      <Tag color="blue">{t('admin.perm.actionCount', { count: permission.actions.length })}</Tag>
      {restricted > 0 && <Tag color="orange">{t('admin.perm.fieldCount', { count: restricted })}</Tag>}
    </Space>
  );
}

/**
 * Edits one role of the draft: key (new roles only), names in both languages and, per form, the
 * actions, data scope and field permissions. Nothing is sent until "Save": the parent writes the
 * whole roles section into the draft and shows the server's errors here, by path.
 */
export function RoleEditor({ role: initial, isNew, forms, takenKeys, problems, general, saving, onSave, onClose }: RoleEditorProps) {
  const { t, text } = useI18n();
  const screens = Grid.useBreakpoint();
  const [role, setRole] = useState<RoleDef>(initial);
  const [touched, setTouched] = useState(false);
  // the first form the role has a permission on starts open; forms with server errors stay open
  const [open, setOpen] = useState<string[]>(() => initial.permissions.slice(0, 1).map((p) => p.form));
  const keyError = !ROLE_KEY.test(role.key)
    ? t('admin.perm.keyInvalid')
    : role.key === APP_ADMIN_ROLE || (isNew && takenKeys.includes(role.key))
      ? t('admin.perm.keyTaken')
      : null;
  const nameError = !role.name['zh-CN']?.trim() && !role.name.en?.trim() ? t('admin.perm.nameRequired') : null;
  const incomplete = role.permissions.some((p) => p.scope === null);
  const roleProblems = problems.filter((p) => p.form === null);
  const setName = (locale: 'zh-CN' | 'en', value: string) => {
    const name = { ...role.name, [locale]: value };
    if (!value) delete name[locale];
    setRole({ ...role, name });
  };
  const save = () => {
    setTouched(true);
    if (keyError || nameError || incomplete) return;
    onSave(role);
  };
  return (
    <Drawer
      open
      onClose={onClose}
      size={screens.md ? 760 : '100%'}
      title={isNew ? t('admin.perm.newTitle') : t('admin.perm.editTitle', { role: text(role.name) || role.key })}
      destroyOnHidden
      data-testid="role-editor"
      footer={
        <Space className="perm__footer">
          <Button onClick={onClose}>{t('action.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={save} data-testid="role-editor-save">
            {t('admin.perm.save')}
          </Button>
        </Space>
      }
    >
      {general && <Alert type="error" showIcon title={general} style={{ marginBottom: 12 }} data-testid="role-editor-error" />}
      <Form layout="vertical" component="div">
        {/* no `name` (the editor keeps its own state): htmlFor/id tie each label to its input */}
        <Form.Item
          label={t('admin.departments.key')}
          htmlFor="role-editor-key"
          required
          validateStatus={(touched && keyError) || roleProblems.some((p) => p.rest === 'key') ? 'error' : undefined}
          help={(touched && keyError) || roleProblems.filter((p) => p.rest === 'key').map((p) => p.message).join(' ') || (isNew ? t('admin.perm.keyHelp') : undefined)}
        >
          <Input id="role-editor-key" value={role.key} disabled={!isNew} onChange={(e) => setRole({ ...role, key: e.target.value.trim() })} data-testid="role-key" autoFocus={isNew} />
        </Form.Item>
        <div className="perm__names">
          {(['zh-CN', 'en'] as const).map((locale) => {
            // "name" is about both inputs, "name.en" only about the English one
            const server = roleProblems.filter((p) => p.rest === 'name' || p.rest === `name.${locale}`).map((p) => p.message).join(' ');
            const error = (touched && nameError) || server;
            return (
            <Form.Item
              key={locale}
              label={t(locale === 'en' ? 'admin.perm.nameEn' : 'admin.perm.nameZh')}
              htmlFor={`role-editor-name-${locale}`}
              validateStatus={error ? 'error' : undefined}
              help={error || undefined}
            >
              <Input id={`role-editor-name-${locale}`} value={role.name[locale] ?? ''} onChange={(e) => setName(locale, e.target.value)} data-testid={`role-name-${locale}`} />
            </Form.Item>
            );
          })}
        </div>
      </Form>
      <Problems problems={roleProblems.filter((p) => p.rest !== 'key' && !p.rest.startsWith('name'))} />
      {/* the drawer's first heading under the page's h1: an h2, drawn at an h5's size */}
      <Typography.Title level={2} className="heading-as-h5">
        {t('admin.roles.permissions')}
      </Typography.Title>
      {forms.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('admin.perm.noForms')}</Typography.Paragraph>
      ) : (
        <Collapse
          size="small"
          activeKey={[...new Set([...open, ...problems.map((p) => p.form).filter((f): f is string => f !== null)])]}
          onChange={(keys) => setOpen(Array.isArray(keys) ? keys : [keys])}
          items={forms.map((form) => {
            const permission = permissionFor(role, form.key);
            return {
              key: form.key,
              label: <span data-testid={`perm-header-${form.key}`}>{text(form.name) || form.key}</span>,
              extra: <FormSummary permission={permission} />,
              children: (
                <FormPermission
                  form={form}
                  permission={permission}
                  problems={problems.filter((p) => p.form === form.key)}
                  onChange={(next) => setRole(setPermission(role, next))}
                />
              ),
            };
          })}
        />
      )}
    </Drawer>
  );
}
