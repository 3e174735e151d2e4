/** How department ids look: the departments' names, from the tenant's (cached) list. */
import { useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { idList } from '../files';
import { registerFieldType } from '../registry';
import { LookupContext } from './lookupContext';
import { idPickerType } from './member';

/** A department as `GET /departments` lists it (a flat list; `parent` is the parent's key). */
export interface DepartmentItem {
  id: string;
  key: string;
  name: string;
  parent: string | null;
}

/** The tenant's departments (few, rarely changed: one list, cached a while). */
export function useDepartmentList({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['fields', 'departments'],
    queryFn: ({ signal }) => api.get<{ items: DepartmentItem[] }>('/departments', undefined, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** Names of the departments `value` holds (an id whose department is gone: its first characters). */
export const departmentNames = (value: unknown, items: DepartmentItem[]): string[] =>
  idList(value).map((id) => items.find((d) => d.id === id)?.name ?? id.slice(0, 8));

function OwnDepartmentNames({ ids }: { ids: string[] }) {
  return <>{departmentNames(ids, useDepartmentList().data ?? []).join(', ')}</>;
}

/** The names from the list's one lookup when it provides departments, else from a query of its own. */
function DepartmentNames({ ids }: { ids: string[] }) {
  const shared = useContext(LookupContext)?.departments;
  if (shared === undefined) return <OwnDepartmentNames ids={ids} />;
  return <>{ids.map((id) => shared?.get(id)?.name ?? id.slice(0, 8)).join(', ')}</>;
}

registerFieldType(idPickerType('department', DepartmentNames));
registerFieldType(idPickerType('departments', DepartmentNames));
