import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { AppDetail, Expression, LocaleText } from '../api/types';

export type ViewType = 'table' | 'kanban' | 'calendar';

/** What a view says about a list (the same keys in the app definition and in saved views). */
export interface ViewSettings {
  type?: ViewType;
  columns?: string[];
  filter?: Expression;
  sort?: string;
  group_by?: string;
  date_field?: string;
  end_field?: string;
}

/** One entry of GET …/views: a view of the app's definition (read-only) or a saved one. */
export interface ViewItem extends ViewSettings {
  id: string;
  source: 'definition' | 'saved';
  name: string | LocaleText;
  shared: boolean;
  readonly: boolean;
  editable: boolean;
  mine?: boolean;
  key?: string;
  /** a view of the app opened first when the list is opened plain */
  default?: boolean;
  owner?: { id: string; name: string };
}

export interface ViewList {
  items: ViewItem[];
  can_share: boolean;
}

export const viewsPath = (app: string, form: string) =>
  `/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form)}/views`;

export const viewsKey = (app: string, form: string) => ['views', app, form] as const;

export const viewsApi = {
  list: (app: string, form: string, signal?: AbortSignal) => api.get<ViewList>(viewsPath(app, form), undefined, signal),
  create: (app: string, form: string, body: ViewSettings & { name: string; shared?: boolean }) =>
    api.post<ViewItem>(viewsPath(app, form), body),
  update: (app: string, form: string, id: string, body: Partial<ViewSettings> & { name?: string; shared?: boolean }) =>
    api.patch<ViewItem>(`${viewsPath(app, form)}/${encodeURIComponent(id)}`, body),
  remove: (app: string, form: string, id: string) => api.delete(`${viewsPath(app, form)}/${encodeURIComponent(id)}`),
};

/** A form's views as a query (the list's hook, and api/bootQueries for a full load's first read). */
export const viewsQuery = (app: string, form: string) =>
  queryOptions({
    queryKey: viewsKey(app, form),
    queryFn: ({ signal }) => viewsApi.list(app, form, signal),
    staleTime: 60_000,
  });

export function useViews(app: string, form: string) {
  return useQuery(viewsQuery(app, form));
}

/** What the caller may do on a form, from GET /apps/{app}'s `access` (all, when not given). */
export interface FormAccess {
  can: (action: 'create' | 'edit' | 'delete' | 'import' | 'export') => boolean;
  readonly: string[];
}

export function formAccess(app: AppDetail, form: string): FormAccess {
  const access = (app as AppDetail & { access?: Record<string, { actions: string[]; readonly: string[] }> }).access;
  if (!access) return { can: () => true, readonly: [] };
  const entry = access[form];
  return { can: (action) => Boolean(entry?.actions.includes(action)), readonly: entry?.readonly ?? [] };
}
