import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { EMPTY_FILTER, fromExpression, toExpression, type FilterModel } from '../filter/model';
import type { ViewSettings, ViewType } from '../views/api';

const VIEW_TYPES: ViewType[] = ['table', 'kanban', 'calendar'];

/**
 * A list's search, filter, sort, view type (table / kanban / calendar with its field), columns
 * and the saved view it came from live in the URL, so a list can be bookmarked, shared, and
 * comes back with the browser's Back button.
 */
export function useListState() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const sort = params.get('sort') ?? '';
  const rawFilter = params.get('filter') ?? '';
  const rawView = params.get('view') ?? '';
  const view: ViewType = (VIEW_TYPES as string[]).includes(rawView) ? (rawView as ViewType) : 'table';
  const group = params.get('group') ?? '';
  const date = params.get('date') ?? '';
  const end = params.get('end') ?? '';
  const rawColumns = params.get('cols');
  const savedView = params.get('sv') ?? '';

  const filter = useMemo<FilterModel>(() => {
    if (!rawFilter) return EMPTY_FILTER;
    try {
      return fromExpression(JSON.parse(rawFilter)) ?? EMPTY_FILTER;
    } catch {
      return EMPTY_FILTER;
    }
  }, [rawFilter]);
  const columns = useMemo(() => (rawColumns ? rawColumns.split(',').filter(Boolean) : null), [rawColumns]);

  const update = (values: Record<string, string>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(values)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const set = (key: string, value: string) => update({ [key]: value });

  return {
    search,
    sort,
    filter,
    /** the filter as the URL holds it (JSON text, '' for none) */
    rawFilter,
    view,
    group,
    date,
    /** the calendar's end field ('' for records on one day) */
    end,
    /** the chosen columns, or null when the URL names none (the browser's remembered choice) */
    columns,
    savedView,
    setSearch: (value: string) => set('q', value.trim()),
    setSort: (value: string) => set('sort', value),
    setFilter: (model: FilterModel) => {
      const expression = toExpression(model);
      set('filter', expression == null ? '' : JSON.stringify(expression));
    },
    setView: (value: ViewType) => set('view', value === 'table' ? '' : value),
    setGroup: (value: string) => set('group', value),
    setDate: (value: string) => update({ date: value, end: '' }),
    setColumns: (keys: string[]) => set('cols', keys.join(',')),
    /** Opens a view: its settings replace the list's (the search is kept), `id` marks it. */
    applyView: (settings: ViewSettings | null, id = '') =>
      update({
        sv: id,
        view: settings?.type && settings.type !== 'table' ? settings.type : '',
        filter: settings?.filter == null ? '' : JSON.stringify(settings.filter),
        sort: settings?.sort ?? '',
        group: settings?.group_by ?? '',
        date: settings?.date_field ?? '',
        end: settings?.end_field ?? '',
        cols: settings?.columns?.join(',') ?? '',
      }),
  };
}

export type ListState = ReturnType<typeof useListState>;

/** The list's current settings, as a view saves them. */
export function currentSettings(state: ListState, columns: string[]): ViewSettings {
  let filter: unknown = null;
  try {
    filter = state.rawFilter ? (JSON.parse(state.rawFilter) as unknown) : null;
  } catch {
    filter = null;
  }
  return {
    type: state.view,
    columns,
    filter: filter ?? undefined,
    sort: state.sort || undefined,
    group_by: state.view === 'kanban' ? state.group || undefined : undefined,
    date_field: state.view === 'calendar' ? state.date || undefined : undefined,
    end_field: state.view === 'calendar' ? state.end || undefined : undefined,
  };
}
