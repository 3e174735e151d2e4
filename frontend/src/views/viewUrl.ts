import type { ViewSettings } from './api';

/**
 * The list URL's query that opens a view: the same parameters the list keeps its state in
 * (records/useListState.ts `applyView`: `sv` marks the view, the others are its settings), so a
 * view opened from the side menu is exactly the view picked in the list.
 */
export function viewQuery(view: ViewSettings, id: string): string {
  const params = new URLSearchParams();
  const entries: [string, string | undefined][] = [
    ['sv', id],
    ['view', view.type && view.type !== 'table' ? view.type : undefined],
    ['filter', view.filter == null ? undefined : JSON.stringify(view.filter)],
    ['sort', view.sort],
    ['group', view.group_by],
    ['date', view.date_field],
    ['end', view.end_field],
    ['cols', view.columns?.join(',')],
  ];
  for (const [key, value] of entries) if (value) params.set(key, value);
  return params.toString();
}
