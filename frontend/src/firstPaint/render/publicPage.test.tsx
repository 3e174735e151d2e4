/**
 * `page.public` filled with Jinja2 as the server fills it draws the app's own public link page
 * (PublicFormPage once its link has loaded): at a desktop width exactly (the phone's parts
 * hidden), at a phone width the same elements and text; both languages, a form with a
 * description and one without, a link with an expiry and one without.
 */
import { describe, expect, it } from 'vitest';
import { loadLanguage } from '../../i18n/languages';
import { formatWhen } from '../../lib/dates';
import type { Locale } from '../../i18n/locale';
import { fillWithJinja, hasJinja } from '../../../scripts/first-paint.mjs';
import { elementWith } from './jinja';
import { P, WIDTHS } from './page';
import { outline, shownAt } from './layouts';
import { publicPageTemplate, renderPublicPage, type PublicNames } from './publicPage';

function drawn(locale: Locale, names: PublicNames, width: number): string {
  const before = window.innerWidth;
  window.innerWidth = width;
  try {
    return renderPublicPage(locale, names);
  } finally {
    window.innerWidth = before;
  }
}

describe.skipIf(!hasJinja())('the public page template', () => {
  it.each<[Locale, string, string | null]>([
    ['en', 'Tell us <what> & "why"', null],
    ['en', '', '2027-06-30T18:00:00+08:00'],
    ['zh-CN', '请如实填写', '2027-06-30T18:00:00+08:00'],
    ['zh-CN', '', null],
  ])('filled by Jinja2 draws the app page (%s, description %j, expires %s)', async (locale, description, expires) => {
    const { messages } = await loadLanguage(locale);
    const names: PublicNames = { appName: 'CRM & "co"', formName: 'Sign <up>', description, expires };
    const desktop = drawn(locale, names, WIDTHS.desktop);
    const phone = drawn(locale, names, WIDTHS.phone);
    expect(desktop).toContain('data-testid="public-page"');
    const page = {
      app_name: names.appName,
      form_name: names.formName,
      description,
      open_until: expires ? messages['public.openUntil'].replace('{when}', formatWhen(expires, locale)) : '',
      fields: elementWith(desktop, `data-testid="field-${P.cell}"`),
      submit_label: messages['action.submit'],
    };
    const [filled] = fillWithJinja([{ template: await publicPageTemplate(locale), context: { page } }]);
    expect(shownAt(filled, 'desktop').innerHTML).toBe(shownAt(desktop, 'desktop').innerHTML);
    expect(outline(shownAt(filled, 'phone'))).toBe(outline(shownAt(phone, 'desktop')));
    expect(shownAt(filled, 'desktop').querySelector('[data-testid="form-save"]')?.textContent?.replace(/ /g, '')).toBe(messages['action.submit']);
  });
});
