import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { EMPTY_FILTER, fromExpression, toExpression, type FilterModel } from '../filter/model';

/**
 * A list's search, filter and sort live in the URL, so a filtered list can be bookmarked,
 * shared, and comes back with the browser's Back button.
 */
export function useListState() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const sort = params.get('sort') ?? '';
  const rawFilter = params.get('filter') ?? '';

  const filter = useMemo<FilterModel>(() => {
    if (!rawFilter) return EMPTY_FILTER;
    try {
      return fromExpression(JSON.parse(rawFilter)) ?? EMPTY_FILTER;
    } catch {
      return EMPTY_FILTER;
    }
  }, [rawFilter]);

  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return {
    search,
    sort,
    filter,
    setSearch: (value: string) => set('q', value.trim()),
    setSort: (value: string) => set('sort', value),
    setFilter: (model: FilterModel) => {
      const expression = toExpression(model);
      set('filter', expression == null ? '' : JSON.stringify(expression));
    },
  };
}
