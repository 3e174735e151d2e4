import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type {
  AppDetail,
  AppSummary,
  HistoryEntry,
  LoginResponse,
  Me,
  Page,
  RecordCount,
  RecordData,
  User,
} from './types';

/** Query keys in one place so invalidation can't miss a spelling. */
export const keys = {
  me: ['me'] as const,
  apps: ['apps'] as const,
  app: (app: string) => ['app', app] as const,
  records: (app: string, form: string) => ['records', app, form] as const,
  recordList: (app: string, form: string, filter: string, sort: string) =>
    ['records', app, form, 'list', filter, sort] as const,
  recordCount: (app: string, form: string, filter: string) =>
    ['records', app, form, 'count', filter] as const,
  record: (app: string, form: string, id: string) => ['records', app, form, 'one', id] as const,
  history: (app: string, form: string, id: string) => ['records', app, form, 'history', id] as const,
};

export const recordsPath = (app: string, form: string) =>
  `/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form)}/records`;
export const recordPath = (app: string, form: string, id: string) =>
  `${recordsPath(app, form)}/${encodeURIComponent(id)}`;

export const authApi = {
  login: (email: string, password: string) => api.post<LoginResponse>('/auth/login', { email, password }),
  logout: () => api.post<void>('/auth/logout'),
};

export const recordsApi = {
  create: (app: string, form: string, data: Record<string, unknown>) =>
    api.post<RecordData>(recordsPath(app, form), { data }),
  update: (app: string, form: string, id: string, data: Record<string, unknown>, version: number) =>
    api.patch<RecordData>(recordPath(app, form, id), { data, _version: version }),
  remove: (app: string, form: string, id: string) => api.delete(recordPath(app, form, id)),
  /** brings a deleted record back from the recycle bin */
  restore: (app: string, form: string, id: string) => api.post<RecordData>(`${recordPath(app, form, id)}/restore`),
  list: (app: string, form: string, query: { filter?: string; sort?: string; limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
    api.get<Page<RecordData>>(recordsPath(app, form), query, signal),
};

/**
 * The reads a page's first render makes, as query options: the hooks below use them, and so does
 * api/bootQueries, which hands the reads index.html's boot script started to the cache with the
 * very same keys and functions.
 */
export const meQuery = () => queryOptions({ queryKey: keys.me, queryFn: ({ signal }) => api.get<Me>('/me', undefined, signal) });

export const appsQuery = () =>
  queryOptions({ queryKey: keys.apps, queryFn: ({ signal }) => api.get<{ items: AppSummary[] }>('/apps', undefined, signal) });

export const appQuery = (app: string) =>
  queryOptions({
    queryKey: keys.app(app),
    queryFn: ({ signal }) => api.get<AppDetail>(`/apps/${encodeURIComponent(app)}`, undefined, signal),
    staleTime: 60_000,
  });

export function useMe() {
  return useQuery(meQuery());
}

/** The tenant's members, for member fields (small tenants: one list, cached a while). */
/** The tenant's members; `enabled: false` subscribes without fetching (a list with no member column). */
export function useUsers({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<{ items: User[] }>('/users', undefined, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useApps() {
  return useQuery({ ...appsQuery(), select: (data) => data.items });
}

export function useApp(app: string) {
  return useQuery({ ...appQuery(app), enabled: Boolean(app) });
}

export const PAGE_SIZE = 50;

/** Cursor-paged records; `filter` is the JSON text of an expression ('' for none). */
export const recordPagesQuery = (app: string, form: string, filter: string, sort: string) =>
  infiniteQueryOptions({
    queryKey: keys.recordList(app, form, filter, sort),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      recordsApi.list(app, form, { filter, sort, limit: PAGE_SIZE, cursor: pageParam }, signal),
    getNextPageParam: (last: Page<RecordData>) => last.next_cursor ?? undefined,
  });

export function useRecordPages(app: string, form: string, filter: string, sort: string, enabled = true) {
  return useInfiniteQuery({ ...recordPagesQuery(app, form, filter, sort), enabled });
}

export const recordCountQuery = (app: string, form: string, filter: string) =>
  queryOptions({
    queryKey: keys.recordCount(app, form, filter),
    queryFn: ({ signal }) => api.get<RecordCount>(`${recordsPath(app, form)}/count`, { filter }, signal),
  });

export function useRecordCount(app: string, form: string, filter: string) {
  return useQuery(recordCountQuery(app, form, filter));
}

/** The query of one record, shared by the record pages and relation titles. */
export function recordQuery(app: string, form: string, id: string) {
  return {
    queryKey: keys.record(app, form, id),
    queryFn: ({ signal }: { signal: AbortSignal }) => api.get<RecordData>(recordPath(app, form, id), undefined, signal),
  };
}

export function useRecord(app: string, form: string, id: string) {
  return useQuery({ ...recordQuery(app, form, id), enabled: Boolean(app && form && id) });
}

export function useRecordHistory(app: string, form: string, id: string) {
  return useQuery({
    queryKey: keys.history(app, form, id),
    enabled: Boolean(app && form && id),
    queryFn: ({ signal }) =>
      api.get<{ items: HistoryEntry[] }>(`${recordPath(app, form, id)}/history`, undefined, signal),
    select: (data) => data.items,
  });
}
