/**
 * The page template filled with Jinja2 as the server fills it draws the app's own form page:
 * at a desktop width exactly (the phone's parts hidden), at a phone width the same elements and
 * text (the desktop's parts hidden; start tags may keep the desktop's where page.css makes up
 * for it, KEPT_DESKTOP).
 */
import { describe, expect, it } from 'vitest';
import { loadLanguage } from '../../i18n/languages';
import type { Locale } from '../../i18n/locale';
import { fillWithJinja, hasJinja } from '../../../scripts/first-paint.mjs';
import { elementWith } from './jinja';
import { P, renderPage, WIDTHS, type PageKind, type PageNames } from './page';
import { outline, shownAt } from './layouts';
import { KEPT_DESKTOP } from './pageTemplate';
import { pageTemplate } from './templates';

const NAMES: PageNames = { appName: 'CRM & "co"', user: 'Li Lei', formName: 'Customers <all>', otherName: 'Contacts', title: 'ACME Ltd' };

const parsed = (html: string) => shownAt(html, 'desktop');

function drawn(locale: Locale, kind: PageKind, width: number, manage: boolean): string {
  const before = window.innerWidth;
  window.innerWidth = width;
  try {
    return renderPage(locale, kind, undefined, NAMES, manage);
  } finally {
    window.innerWidth = before;
  }
}

describe.skipIf(!hasJinja())('the form page template', () => {
  // `manage`: the caller may manage the open form, and FormNav shows its public links entry
  it.each<[Locale, PageKind, boolean]>([
    ['en', 'new', true],
    ['en', 'edit', true],
    ['en', 'new', false],
    ['en', 'edit', false],
    ['zh-CN', 'new', true],
    ['zh-CN', 'edit', true],
    ['zh-CN', 'new', false],
    ['zh-CN', 'edit', false],
  ])('filled by Jinja2 draws the app page (%s, %s, manage: %s)', async (locale, kind, manage) => {
    const { messages } = await loadLanguage(locale);
    const desktop = drawn(locale, kind, WIDTHS.desktop, manage);
    const phone = drawn(locale, kind, WIDTHS.phone, manage);
    expect(desktop.includes(`data-testid="nav-links-${P.form}"`)).toBe(manage);
    const form = NAMES.formName;
    const page = {
      app_name: NAMES.appName,
      app_href: `/apps/${P.app}`,
      user_name: NAMES.user,
      user_initial: 'L',
      nav: [
        { key: P.form, label: NAMES.formName, href: '', selected: true, links: manage, children: [] },
        { key: P.other, label: NAMES.otherName, href: '', selected: false, links: false, children: [] },
      ],
      form_name: form,
      title: kind === 'new' ? messages['form.newTitle'].replace('{form}', form) : NAMES.title,
      subtitle: kind === 'new' ? '' : messages['form.editTitle'].replace('{form}', form),
      back_href: '',
      fields: elementWith(desktop, `data-testid="field-${P.cell}"`),
      submit_label: messages['action.save'],
      cancel: true,
    };
    const [filled] = fillWithJinja([{ template: await pageTemplate(locale), context: { page } }]);
    expect(shownAt(filled, 'desktop').innerHTML).toBe(parsed(desktop).innerHTML);
    expect(shownAt(filled, 'desktop').querySelector(`[data-testid="nav-links-${P.form}"]`)?.textContent ?? null).toBe(manage ? messages['links.nav'] : null);
    expect(outline(shownAt(filled, 'phone'))).toBe(outline(parsed(phone)));
    // the start tags drawn as the desktop's on a phone too: page.css makes up for the layout's
    // and the switcher's; the others differ in an accessible name only
    const kept = ['ant-layout-has-sider', 'app-switcher__label', 'topbar__brand', 'user-menu__trigger'];
    expect(KEPT_DESKTOP.filter((tag) => !kept.some((known) => tag.includes(known)))).toEqual([]);
  });
});
