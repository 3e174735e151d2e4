import { useMemo, useState } from 'react';
import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Select, Skeleton, Tag, Tree, Typography, type TreeDataNode } from 'antd';
import { isApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { LoadError } from '../shell/LoadError';
import { adminApi, adminKeys, useDepartments, useMembers, type Department } from './api';
import { showFieldErrors } from './fieldErrors';

interface DepartmentValues {
  key?: string;
  name: string;
  parent?: string | null;
  managers?: string[];
}

/** Departments as a tree (a department whose parent is unknown shows at the top level). */
export function departmentTree(departments: Department[], render: (d: Department) => React.ReactNode): TreeDataNode[] {
  const keys = new Set(departments.map((d) => d.key));
  const byParent = new Map<string | null, Department[]>();
  for (const d of departments) {
    const parent = d.parent && keys.has(d.parent) ? d.parent : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), d]);
  }
  const build = (parent: string | null, seen: Set<string>): TreeDataNode[] =>
    (byParent.get(parent) ?? [])
      .filter((d) => !seen.has(d.key))
      .map((d) => ({ key: d.key, title: render(d), children: build(d.key, new Set([...seen, d.key])) }));
  return build(null, new Set());
}

function DepartmentModal({ department, departments, onClose }: { department?: Department; departments: Department[]; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentValues>();
  const [general, setGeneral] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const members = useMembers().data ?? [];
  const save = useMutation({
    mutationFn: (values: DepartmentValues) => {
      const body = { name: values.name.trim(), parent: values.parent || null, managers: values.managers ?? [] };
      return department ? adminApi.updateDepartment(department.key, body) : adminApi.createDepartment({ key: (values.key ?? '').trim(), ...body });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: adminKeys.departments });
      void message.success(t('admin.members.saved'));
      onClose();
    },
    onError: (error) => {
      if (isApiError(error) && (error.code === 'cycle' || error.errors.some((e) => e.code === 'cycle'))) {
        form.setFields([{ name: 'parent', errors: [t('admin.departments.cycle')] }]);
        return;
      }
      if (showFieldErrors(form, error, ['key', 'name', 'parent', 'managers'])) return;
      setGeneral(errorMessage(error, t));
    },
  });
  return (
    <Modal
      open
      title={department ? t('admin.departments.edit') : t('admin.departments.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'department-save' }}
    >
      {general && <Alert type="error" title={general} showIcon style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: department?.name ?? '', parent: department?.parent ?? null, managers: department?.managers ?? [] }}
        onFinish={(values) => {
          setGeneral(null);
          save.mutate(values);
        }}
      >
        {department ? (
          <Form.Item label={t('admin.departments.key')}>
            <Typography.Text code>{department.key}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item
            name="key"
            label={t('admin.departments.key')}
            extra={t('admin.departments.keyHelp')}
            rules={[{ required: true, whitespace: true, message: t('admin.required') }]}
          >
            <Input data-testid="department-key" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('admin.departments.name')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
          <Input data-testid="department-name" />
        </Form.Item>
        <Form.Item name="parent" label={t('admin.departments.parent')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('admin.departments.topLevel')}
            options={departments.map((d) => ({ value: d.key, label: `${d.name} (${d.key})` }))}
            data-testid="department-parent"
          />
        </Form.Item>
        <Form.Item name="managers" label={t('admin.departments.managers')}>
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={members.map((m) => ({ value: m.email, label: `${m.name} <${m.email}>` }))}
            data-testid="department-managers"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function DepartmentsPage() {
  const { t } = useI18n();
  const departments = useDepartments();
  const [dialog, setDialog] = useState<{ department?: Department } | null>(null);
  const all = useMemo(() => departments.data ?? [], [departments.data]);
  const tree = useMemo(
    () =>
      departmentTree(all, (d) => (
        <span className="admin__dept" data-testid={`department-${d.key}`}>
          <span>{d.name}</span>
          <Typography.Text type="secondary" className="admin__dept-key">
            {d.key}
          </Typography.Text>
          {d.managers.length > 0 && <Tag>{t('admin.departments.managerCount', { count: d.managers.length })}</Tag>}
        </span>
      )),
    [all, t],
  );
  return (
    <div data-testid="admin-departments">
      <div className="admin__toolbar">
        <Typography.Text type="secondary">{t('admin.departments.hint')}</Typography.Text>
        <span className="admin__spacer" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({})} data-testid="department-new">
          {t('admin.departments.new')}
        </Button>
      </div>
      {departments.isError ? (
        <LoadError error={departments.error} onRetry={() => void departments.refetch()} />
      ) : departments.isPending ? (
        <Skeleton active />
      ) : all.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.departments.empty')} />
      ) : (
        <Card size="small">
          <Tree
            treeData={tree}
            defaultExpandAll
            showLine
            icon={<ApartmentOutlined />}
            selectable
            selectedKeys={[]}
            onSelect={(_, info) => setDialog({ department: all.find((d) => d.key === info.node.key) })}
            data-testid="department-tree"
          />
        </Card>
      )}
      {dialog && <DepartmentModal department={dialog.department} departments={all} onClose={() => setDialog(null)} />}
    </div>
  );
}
