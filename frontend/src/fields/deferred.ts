/**
 * The heavy antd controls a record form draws until one is reached for (fields/lazy.tsx), each
 * fetched apart from the page, once the form is drawn (deferredModule): one instance per module,
 * so every editor of a kind shares its fetch.
 */
import { deferredModule } from './lazy';

export const pickers = deferredModule(() => import('./types/pickers'));
export const treeSelects = deferredModule(() => import('./types/treeSelect'));
export const cascaders = deferredModule(() => import('./types/cascader'));
export const selects = deferredModule(() => import('./types/select'));

/**
 * Fetches all of them when the browser is next idle: for the places that show field editors
 * outside a record form (a filter's value, bulk edit), where a control mounts at once, with
 * nothing drawn while its code comes; the moment between opening them and choosing a field is
 * enough for it to come.
 */
export function usePreloadControls(): void {
  pickers.usePreload();
  treeSelects.usePreload();
  cascaders.usePreload();
  selects.usePreload();
}
