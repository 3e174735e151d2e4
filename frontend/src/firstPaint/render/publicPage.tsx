/**
 * `page.public` (docs/first-paint.md §1): a public fill link's page as PublicFormPage draws it
 * once `GET /public/{token}` has answered (no shell: its own bar with the app's name and the
 * language switch, the form's title and description in the card, RecordForm with its Submit
 * label, the footer), rendered with sentinel names at a desktop and a phone width, with and
 * without a description and an expiry ("open until"), and folded into one template over `page`
 * as the form page's is (pageTemplate.ts: the widths' differences in `fp-desktop` / `fp-phone`
 * wrappers).
 */
import { QueryClient } from '@tanstack/react-query';
import type { FieldDef, FormDef } from '../../api/types';
import { format } from '../../i18n/I18nProvider';
import { loadLanguage } from '../../i18n/languages';
import { formatWhen } from '../../lib/dates';
import type { Locale } from '../../i18n/locale';
import PublicFormPage from '../../public/PublicFormPage';
import type { PublicForm } from '../../public/api';
import { renderRoutes, type StyleCache } from './harness';
import { elementWith, mergeVariants, replaceSentinels } from './jinja';
import { P, WIDTHS } from './page';
import { bothWidths, FIELDS, withFields, withSubmitLabel } from './pageTemplate';

/** The link's token the page is drawn at (the template never prints it). */
const TOKEN = 'fpTOKEN';
const DESCRIPTION = 'ZZfpDESCRIPTIONzz';
/** The expiry a link is drawn with (its "open until" line becomes `page.open_until`). */
const EXPIRES = '2031-02-03T04:05:00+08:00';

/** What a public page is drawn with: the sentinels for the template, real ones in a test. */
export interface PublicNames {
  appName: string;
  formName: string;
  /** the form's description, `""` for none */
  description: string;
  /** the link's expiry (ISO 8601), null for none */
  expires: string | null;
}

const names = (text: string) => ({ en: text, 'zh-CN': text });

/** What `GET /public/{token}` answers for a form of one text field (no password, no expiry). */
function linkData(given: PublicNames): PublicForm {
  const field: FieldDef = { key: P.cell, type: 'text', label: names('x') };
  const form = { key: P.form, name: names(given.formName), fields: [field], ...(given.description && { description: names(given.description) }) } as FormDef;
  return { app: { key: P.app, name: names(given.appName) }, form, formula_trees: {}, requires_password: false, expires_at: given.expires };
}

/** The app's markup of a public link's page, at the width the window has now (the caller sets it). */
export function renderPublicPage(locale: Locale, given: PublicNames, styles?: StyleCache): string {
  const client = new QueryClient();
  client.setQueryData(['public-link', TOKEN, ''], linkData(given));
  return renderRoutes(locale, client, [{ path: '/f/:token', element: <PublicFormPage /> }], `/f/${TOKEN}`, styles);
}

/** One drawing with its sentinels as the template's expressions (`openUntil`: the expiry's line as drawn). */
function publicSentinels(markup: string, submit: string, openUntil: string): string {
  let out = markup.replace(elementWith(markup, `data-testid="field-${P.cell}"`), FIELDS);
  out = replaceSentinels(withSubmitLabel(out, submit), {
    [P.formName]: '{{ page.form_name }}',
    [P.appName]: '{{ page.app_name }}',
    [DESCRIPTION]: '{{ page.description }}',
    [openUntil]: '{{ page.open_until }}',
  });
  const rest = out.split(FIELDS).join('');
  if (rest.includes('ZZfp')) throw new Error(`first paint: a sentinel left in the public page: ${rest.slice(rest.indexOf('ZZfp') - 80, rest.indexOf('ZZfp') + 40)}`);
  return out;
}

/** The public page's template in one language: both widths, a description or none, an expiry or none. */
export async function publicPageTemplate(locale: Locale, styles?: StyleCache): Promise<string> {
  const { messages } = await loadLanguage(locale);
  const submit = format(messages['action.submit']);
  const openUntil = format(messages['public.openUntil'], { when: formatWhen(EXPIRES, locale) });
  const before = window.innerWidth;
  const draw = (description: string, expires: string | null) => {
    const at = (width: number) => {
      window.innerWidth = width;
      return publicSentinels(renderPublicPage(locale, { appName: P.appName, formName: P.formName, description, expires }, styles), submit, openUntil);
    };
    return bothWidths(at(WIDTHS.desktop), at(WIDTHS.phone));
  };
  const expiring = (description: string) => mergeVariants('page.open_until', draw(description, EXPIRES), draw(description, null));
  try {
    return withFields(mergeVariants('page.description', expiring(DESCRIPTION), expiring('')));
  } finally {
    window.innerWidth = before;
  }
}
