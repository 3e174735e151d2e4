import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { useI18n } from '../../i18n/I18nProvider';
import { LazyControl } from '../lazy';
import { departmentNames, useDepartmentList, type DepartmentItem } from '../display/department';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

interface TreeNode {
  value: string;
  title: string;
  key: string;
  children: TreeNode[];
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

registerFieldEditor('department', { Input: DepartmentInput, fills: true });
registerFieldEditor('departments', { Input: DepartmentInput, fills: true });
