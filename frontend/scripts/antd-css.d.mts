// Types of antd-css.mjs (plain ESM run by Node at build time, outside the app's tsconfig).
import type { Plugin } from 'vite';

export interface AntdKeepSet {
  /** every class prefix antd names ('table', 'input-number', 'picker'…) */
  universe: Set<string>;
  /** the prefixes the app can render */
  kept: Set<string>;
  /** prefix -> the first file (and import) that brought it in */
  reasons: Map<string, string>;
}

export function ownerOf(className: string, universe: Iterable<string>): string | null;
export function antdKeepSet(root: string): AntdKeepSet;
export function trimAntdCss(
  css: string,
  keep: Pick<AntdKeepSet, 'universe' | 'kept'>,
): { code: string; stats: { rules: number; droppedRules: number; droppedSelectors: number } };
export function antdCss(): Plugin;
