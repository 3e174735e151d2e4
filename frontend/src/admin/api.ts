import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** A member as the admin API lists it. */
export interface Member {
  id: string;
  email: string;
  name: string;
  is_admin: boolean;
  is_active: boolean;
  locale?: string | null;
  position?: string | null;
}

export interface Department {
  id: string;
  key: string;
  name: string;
  parent: string | null;
  managers: string[];
}

export interface Invitation {
  token: string;
  expires_at: string;
  url: string;
}

export interface OffboardResult {
  leaver: string;
  successor: string;
  records: Record<string, number>;
  records_total: number;
  roles_removed: string[];
  tokens_revoked: number;
}

export const adminKeys = {
  members: ['admin', 'members'] as const,
  departments: ['admin', 'departments'] as const,
  roles: (app: string) => ['admin', 'roles', app] as const,
  draft: (app: string) => ['admin', 'draft', app] as const,
  versions: (app: string) => ['admin', 'versions', app] as const,
};

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

export const adminApi = {
  createMember: (body: {
    email: string;
    name: string;
    password?: string;
    departments: string[];
    main_department?: string | null;
    is_admin: boolean;
  }) => api.post<Member>('/users', body),
  updateMember: (id: string, body: Partial<Omit<Member, 'id' | 'email'>> & { departments?: string[]; main_department?: string | null }) =>
    api.patch<Member>(userPath(id), body),
  invite: (id: string) => api.post<Invitation>(`${userPath(id)}/invite`),
  createDepartment: (body: { key: string; name: string; parent: string | null; managers: string[] }) =>
    api.post<Department>('/departments', body),
  updateDepartment: (key: string, body: { name: string; parent: string | null; managers: string[] }) =>
    api.patch<Department>(`/departments/${encodeURIComponent(key)}`, body),
  offboard: (id: string, successor: string) => api.post<OffboardResult>(`${userPath(id)}/offboard`, { successor }),
};

export function useMembers() {
  return useQuery({
    queryKey: adminKeys.members,
    queryFn: ({ signal }) => api.get<{ items: Member[] }>('/users', undefined, signal),
    select: (data) => data.items,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: adminKeys.departments,
    queryFn: ({ signal }) => api.get<{ items: Department[] }>('/departments', undefined, signal),
    select: (data) => data.items,
  });
}
