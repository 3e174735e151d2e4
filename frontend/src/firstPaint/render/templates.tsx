/**
 * The first paint's templates (ADR 0009, docs/first-paint.md §1), drawn by the app's own
 * components: for each language and field type, RecordForm renders every variant of a
 * sentinel field (required or not, disabled or not, with help or without…) as the browser
 * would, and jinja.ts folds the variants' cells into one Jinja2 template over `f`.
 * `scripts/first-paint.mjs` runs this under jsdom at build time and writes templates.json.
 */
import type { FieldDef, RecordData } from '../../api/types';
import { format, type Translate } from '../../i18n/I18nProvider';
import { loadedLanguage, loadLanguage } from '../../i18n/languages';
import type { MessageKey } from '../../i18n/messages';
import type { Locale } from '../../i18n/locale';
import { appOf, newStyleCache, renderForm, stylesOf, type StyleCache } from './harness';
import { branch, diffPieces, elementWith, foldRepeat, mergeVariants, replaceSentinels, type Hunk } from './jinja';
import { renderPage, WIDTHS, type PageKind } from './page';
import { bothWidths, pageSentinels, withFields, withNav } from './pageTemplate';
import { publicPageTemplate } from './publicPage';
import { COMMON_SENTINELS, CONDITIONS, RECIPES, S, type Dim, type Recipe } from './recipes';
import { subformTemplate } from './subform';

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
export function variantCells(locale: Locale, recipe: Recipe, styles?: StyleCache): Map<string, string> {
  const messages = loadedLanguage(locale)!.messages;
  const t: Translate = (key, vars) => format(messages[key], vars);
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
  const markup = renderForm(locale, appOf(fields, recipe.others), record, true, recipe.queries, styles);
  const cells = new Map<string, string>();
  for (const on of variants) {
    const key = keyOf(on, recipe.dims);
    let cell = elementWith(markup, `data-testid="field-${key}"`).split(key).join(S.key);
    if (recipe.repeat && cell.includes(S.shownB)) cell = foldRepeat(cell, [[S.shownA, S.shownB, 's']], 'f.shown', 's');
    if (recipe.rework) cell = recipe.rework(cell, t);
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

/** The sub-form that holds a type's cell drawn as a row's cell, and its cell's path there. */
const HOLDER = 'fpsub';

/**
 * `f.place`: the type's cell as a sub-form row draws it (fields/types/subform.tsx), `grid` (a
 * desktop grid's cell: FieldItem `bare`), `card` (a phone card's), else a form's field.
 * RecordForm draws the recipe's plain variant (no help: a grid's cell shows none, the server
 * gives it `help` "") as a field and in a row, at both widths; what differs between them (the
 * frame's classes) becomes a branch on `f.place`.
 */
function withPlaces(locale: Locale, recipe: Recipe, template: string, styles?: StyleCache): string {
  const variant = recipe.variant(new Set());
  const field = { ...variant.field, key: S.key, label: { en: S.label, 'zh-CN': S.label } } as unknown as FieldDef;
  const holder = { key: HOLDER, type: 'subform', label: { en: 'Rows', 'zh-CN': 'Rows' }, fields: [field] } as unknown as FieldDef;
  const titles: Record<string, string> = variant.title === undefined ? {} : { [S.key]: variant.title };
  const record: RecordData = { _id: 'fp-record', _version: 1, _titles: titles, [HOLDER]: [{ _titles: titles, ...(variant.value !== undefined && { [S.key]: variant.value }) }] };
  if (variant.value !== undefined) record[S.key] = variant.value;
  const at = (width: number) => {
    const before = window.innerWidth;
    window.innerWidth = width;
    try {
      return renderForm(locale, appOf([field, holder], recipe.others), record, true, recipe.queries, styles);
    } finally {
      window.innerWidth = before;
    }
  };
  const desktop = at(WIDTHS.desktop);
  const plain = elementWith(desktop, `data-testid="field-${S.key}"`);
  const rowCell = (markup: string) => elementWith(markup, `data-testid="field-0.${S.key}"`).split(`${HOLDER}_0_${S.key}`).join(S.key).split(`field-0.${S.key}`).join(`field-${S.key}`);
  const frame = (cell: string): Hunk => {
    const hunks = diffPieces(cell, plain).filter((part): part is Hunk => typeof part !== 'string');
    if (hunks.length !== 1 || hunks[0].yes.length !== 1 || hunks[0].no.length !== 1 || !template.includes(hunks[0].no[0])) {
      throw new Error(`first paint: a row's cell of ${field.type} differs from its field's beyond its frame's classes`);
    }
    return hunks[0];
  };
  const grid = frame(rowCell(desktop));
  const card = frame(rowCell(at(WIDTHS.phone)));
  if (grid.no[0] !== card.no[0]) throw new Error('first paint: the field\'s frame is not one');
  const places = branch("f.place == 'grid'", grid.yes[0], branch("f.place == 'card'", card.yes[0], grid.no[0]));
  return template.replace(grid.no[0], () => places);
}

/** One type's template in one language. */
export function fieldTemplate(locale: Locale, type: string, styles?: StyleCache): string {
  if (type === 'subform') return subformTemplate(locale, styles);
  const recipe = RECIPES[type];
  const folded = fold(variantCells(locale, recipe, styles), recipe.dims);
  return withPlaces(locale, recipe, replaceSentinels(folded, { ...COMMON_SENTINELS, ...recipe.sentinels }), styles);
}

/** The UI messages the server writes itself: titles, buttons, a file's and a yes/no's words. */
export const MESSAGE_KEYS: MessageKey[] = [
  'form.newTitle',
  'form.editTitle',
  'action.save',
  'action.submit',
  'public.openUntil',
  'action.cancel',
  'action.back',
  'form.file',
  'form.yes',
  'form.no',
  'form.computed',
  'form.notEditable',
  'app.name',
];

/** The message table's text of a key, `{form}` and the like left for the server. */
async function messagesOf(locale: Locale): Promise<Record<string, string>> {
  const { messages } = await loadLanguage(locale);
  const out: Record<string, string> = {};
  for (const key of MESSAGE_KEYS) {
    if (messages[key].includes('plural')) throw new Error(`first paint: ${key} is not ICU-free`);
    out[key] = messages[key];
  }
  return out;
}

/** The form page's template in one language, drawn at both widths (pageTemplate.ts). */
export async function pageTemplate(locale: Locale, styles?: StyleCache): Promise<string> {
  const { messages } = await loadLanguage(locale);
  const t = (key: MessageKey, vars?: Record<string, string | number>) => format(messages[key], vars);
  const before = window.innerWidth;
  const draw = (width: number, kind: PageKind) => {
    window.innerWidth = width;
    return pageSentinels(renderPage(locale, kind, styles), t);
  };
  try {
    const desktopNew = draw(WIDTHS.desktop, 'new');
    const fresh = bothWidths(desktopNew.markup, draw(WIDTHS.phone, 'new').markup);
    const edit = bothWidths(draw(WIDTHS.desktop, 'edit').markup, draw(WIDTHS.phone, 'edit').markup);
    return withFields(withNav(mergeVariants('page.subtitle', edit, fresh), desktopNew.loop));
  } finally {
    window.innerWidth = before;
  }
}

/**
 * What the build writes: every language's templates. `stylesheets`: the form route's own
 * stylesheets (form.css, fields.css as built), linked at the head of the page template;
 * `publicStylesheets`: the public link route's (public.css with them), at the public page's.
 */
export async function renderTemplates(stylesheets: string[] = [], publicStylesheets: string[] = stylesheets): Promise<Templates> {
  const locales: Record<string, LocaleTemplates> = {};
  // antd's CSS variables for everything drawn (the same theme in both languages), written
  // before the page's markup: the first paint has no script to write them
  const styles = newStyleCache();
  for (const locale of LOCALES) {
    await loadLanguage(locale);
    const fields: Record<string, string> = {};
    for (const type of [...Object.keys(RECIPES), 'subform']) fields[type] = fieldTemplate(locale, type, styles);
    const page = { form: await pageTemplate(locale, styles), public: await publicPageTemplate(locale, styles) };
    locales[locale] = { page, fields, messages: await messagesOf(locale) };
  }
  // `#first-paint` on each: the same file (a fragment is not part of the request: the boot
  // script's preload and the cache serve it), but not the href Vite's loader looks for before
  // linking a route's stylesheet itself (`link[href="/assets/…css"]`): the app links its own,
  // which stays when the take-over removes the first paint with these
  const head = (hrefs: string[]) => `{% raw %}${hrefs.map((href) => `<link rel="stylesheet" crossorigin href="${href}#first-paint">`).join('')}<style>${stylesOf(styles)}</style>{% endraw %}`;
  for (const locale of LOCALES) {
    locales[locale].page.form = head(stylesheets) + locales[locale].page.form;
    locales[locale].page.public = head(publicStylesheets) + locales[locale].page.public;
  }
  return { format: FORMAT, breakpoint: BREAKPOINT, locales };
}
