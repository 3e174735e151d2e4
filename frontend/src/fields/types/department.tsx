import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { idList } from '../files';
import { LazyControl } from '../lazy';
import { ariaOf, registerFieldType, type FieldInputProps } from '../registry';
import { idPickerType } from './member';

/** A department as `GET /departments` lists it (a flat list; `parent` is the parent's key). */
export interface DepartmentItem {
  id: string;
  key: string;
  name: string;
  parent: string | null;
}

interface TreeNode {
  value: string;
  title: string;
  key: string;
  children: TreeNode[];
}

/** The tenant's departments (few, rarely changed: one list, cached a while). */
export function useDepartmentList() {
  return useQuery({
    queryKey: ['fields', 'departments'],
    queryFn: ({ signal }) => api.get<{ items: DepartmentItem[] }>('/departments', undefined, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

/** The flat list as a tree; a department whose parent is missing becomes a root rather than vanishing. */
export function departmentTree(items: DepartmentItem[]): TreeNode[] {
  const nodes = new Map(items.map((d) => [d.key, { value: d.id, title: d.name, key: d.id, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const item of items) {
    const node = nodes.get(item.key)!;
    const parent = item.parent ? nodes.get(item.parent) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Names of the departments `value` holds (an id whose department is gone: its first characters). */
const departmentNames = (value: unknown, items: DepartmentItem[]): string[] =>
  idList(value).map((id) => items.find((d) => d.id === id)?.name ?? id.slice(0, 8));

/**
 * One department (department) or several (departments), picked from the tree with search; in a
 * record form the tree mounts when first focused or pressed (fields/lazy.tsx).
 */
function DepartmentInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<string | string[]>) {
  const { t, text } = useI18n();
  const departments = useDepartmentList();
  const tree = useMemo(() => departmentTree(departments.data ?? []), [departments.data]);
  const multiple = field.type === 'departments';
  const placeholder = field.default_current ? t('fields.department.defaultsToYours') : text(field.placeholder) || t('form.select');
  return (
    <LazyControl
      kind="select"
      rootClass="ant-tree-select"
      id={id}
      disabled={disabled}
      multiple={multiple}
      shown={departmentNames(value, departments.data ?? [])}
      placeholder={placeholder}
      aria={ariaOf(aria)}
    >
      {(how) => (
        <TreeSelect
          id={id}
          {...ariaOf(aria)}
          {...how}
          value={value ?? (multiple ? [] : undefined)}
          multiple={multiple}
          disabled={disabled}
          allowClear
          loading={departments.isPending}
          treeData={tree}
          treeDefaultExpandAll
          showSearch={{ treeNodeFilterProp: 'title' }}
          notFoundContent={departments.isSuccess && tree.length === 0 ? t('fields.department.none') : undefined}
          placeholder={placeholder}
          style={{ width: '100%' }}
          onChange={(next) => onChange?.(next ?? null)}
        />
      )}
    </LazyControl>
  );
}

function DepartmentNames({ ids }: { ids: string[] }) {
  return <>{departmentNames(ids, useDepartmentList().data ?? []).join(', ')}</>;
}

registerFieldType(idPickerType('department', DepartmentInput, DepartmentNames));
registerFieldType(idPickerType('departments', DepartmentInput, DepartmentNames));
