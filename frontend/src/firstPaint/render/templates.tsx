/**
 * The first paint's templates (ADR 0009, docs/first-paint.md §1), drawn by the app's own
 * components: for each language and field type, RecordForm renders every variant of a
 * sentinel field (required or not, disabled or not, with help or without…) as the browser
 * would, and jinja.ts folds the variants' cells into one Jinja2 template over `f`.
 * `scripts/first-paint.mjs` runs this under jsdom at build time and writes templates.json.
 */
import type { FieldDef, RecordData } from '../../api/types';
import { loadLanguage } from '../../i18n/languages';
import type { Locale } from '../../i18n/locale';
import { appOf, renderForm } from './harness';
import { elementWith, foldRepeat, mergeVariants, replaceSentinels } from './jinja';
import { COMMON_SENTINELS, CONDITIONS, RECIPES, S, type Dim, type Recipe } from './recipes';

export const FORMAT = 1;
/** px: the desktop layout at >= (antd's screenMD, lib/useDesktop) */
export const BREAKPOINT = 768;
export const LOCALES: Locale[] = ['zh-CN', 'en'];

export interface LocaleTemplates {
  page: Record<string, string>;
  fields: Record<string, string>;
  messages: Record<string, string>;
}

export interface Templates {
  format: number;
  breakpoint: number;
  locales: Record<string, LocaleTemplates>;
}

/** Every subset of the conditions, as the sets of those that hold. */
function subsets(dims: Dim[]): Set<Dim>[] {
  return Array.from({ length: 2 ** dims.length }, (_, mask) => new Set(dims.filter((_, i) => mask & (2 ** i))));
}

const keyOf = (on: Set<Dim>, dims: Dim[]) => `${S.key}${dims.map((dim) => (on.has(dim) ? '1' : '0')).join('')}`;

/**
 * The cell of each variant of a type, keyed by its set of conditions: one RecordForm of all the
 * variants (a saved record, so read-only types are drawn as on an edit), each cell cut out of it
 * with its sentinel key put back to the one key.
 */
export function variantCells(locale: Locale, recipe: Recipe): Map<string, string> {
  const variants = subsets(recipe.dims);
  const fields: FieldDef[] = [];
  const record: RecordData = { _id: 'fp-record', _version: 1 };
  const titles: Record<string, string> = {};
  for (const on of variants) {
    const key = keyOf(on, recipe.dims);
    const variant = recipe.variant(on);
    fields.push({ ...variant.field, key, label: { en: S.label, 'zh-CN': S.label } } as unknown as FieldDef);
    if (variant.value !== undefined) record[key] = variant.value;
    if (variant.title !== undefined) titles[key] = variant.title;
  }
  record._titles = titles;
  const markup = renderForm(locale, appOf(fields, recipe.others), record, true, recipe.queries);
  const cells = new Map<string, string>();
  for (const on of variants) {
    const key = keyOf(on, recipe.dims);
    let cell = elementWith(markup, `data-testid="field-${key}"`).split(key).join(S.key);
    if (recipe.repeat && cell.includes(S.shownB)) cell = foldRepeat(cell, S.shownA, S.shownB, 'f.shown', 's');
    cells.set(key, cell);
  }
  return cells;
}

/** The variants folded, condition by condition, into one template (its sentinels still in). */
function fold(cells: Map<string, string>, dims: Dim[], on: Set<Dim> = new Set(), depth = 0): string {
  if (depth === dims.length) return cells.get(keyOf(on, dims))!;
  const dim = dims[depth];
  const yes = fold(cells, dims, new Set([...on, dim]), depth + 1);
  const no = fold(cells, dims, on, depth + 1);
  return mergeVariants(CONDITIONS[dim], yes, no);
}

/** One type's template in one language. */
export function fieldTemplate(locale: Locale, type: string): string {
  const recipe = RECIPES[type];
  const folded = fold(variantCells(locale, recipe), recipe.dims);
  return replaceSentinels(folded, { ...COMMON_SENTINELS, ...recipe.sentinels });
}

/** What the build writes: every language's templates. */
export async function renderTemplates(): Promise<Templates> {
  const locales: Record<string, LocaleTemplates> = {};
  for (const locale of LOCALES) {
    await loadLanguage(locale);
    const fields: Record<string, string> = {};
    for (const type of Object.keys(RECIPES)) fields[type] = fieldTemplate(locale, type);
    locales[locale] = { page: {}, fields, messages: {} };
  }
  return { format: FORMAT, breakpoint: BREAKPOINT, locales };
}
