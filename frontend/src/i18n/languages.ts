/**
 * Each language's tables as a chunk of its own, loaded on demand.
 *
 * The shell's file used to carry both languages' messages (and antd's and dayjs's locales),
 * ~25 KB of script every first visit parsed and ran for a language the user does not read. Now
 * a page load fetches the one it shows: index.html's boot script (app/boot.ts) picks the
 * language the way `initialLocale()` does and preloads its chunk with the shell's file, and the
 * app renders once it is in (main.tsx); the other language is fetched when the user switches.
 */
import type { Locale as AntdLocale } from 'antd/es/locale';
import type { Locale } from './locale';
import type { Messages } from './messages';

/** What the app needs to speak one language. */
export interface LanguagePack {
  /** the app's own strings */
  messages: Messages;
  /** antd's component texts (pagination, pickers, empty states, modal buttons) */
  antd: AntdLocale;
  /** the dayjs locale the chunk has registered (month and weekday names) */
  dayjs: string;
}

/**
 * antd's locale with its pickers' header buttons named by what they show. rc-picker labels the
 * year and month buttons of a date panel "Choose a year" / "Choose a month" (选择年份…) while they
 * read "2026" / "Nov": a speech user who says what they see ("click Nov") can't reach them, and
 * axe reports it (label-content-name-mismatch, WCAG 2.5.3). Without these labels the buttons
 * are named by their text.
 */
export function pickerHeadersNamedByText(locale: AntdLocale): AntdLocale {
  const unlabel = <T extends { lang?: object }>(picker: T | undefined): T | undefined =>
    picker && { ...picker, lang: { ...picker.lang, yearSelect: undefined, monthSelect: undefined, decadeSelect: undefined } };
  return { ...locale, DatePicker: unlabel(locale.DatePicker), Calendar: unlabel(locale.Calendar as { lang?: object } | undefined) };
}

/**
 * Each language's chunk. vite.config.ts finds them by these module names to preload the user's
 * one from index.html, and gives each its own copy of the messages modules holding only that
 * language's side (`languageSide`).
 */
const LOADERS: Record<Locale, () => Promise<{ default: LanguagePack }>> = {
  en: () => import('./lang.en'),
  'zh-CN': () => import('./lang.zh-CN'),
};

const loaded: Partial<Record<Locale, LanguagePack>> = {};
const loading: Partial<Record<Locale, Promise<LanguagePack>>> = {};

/** The language's tables, fetched once; a failed fetch is tried again on the next call. */
export function loadLanguage(locale: Locale): Promise<LanguagePack> {
  loading[locale] ??= LOADERS[locale]().then(
    (module) => (loaded[locale] = module.default),
    (error: unknown) => {
      delete loading[locale];
      throw error;
    },
  );
  return loading[locale];
}

/** The language's tables if they are in already. */
export function loadedLanguage(locale: Locale): LanguagePack | undefined {
  return loaded[locale];
}

/**
 * Fetches every language ahead (once each), e.g. when a language picker opens: the switch is
 * then shown at once. A failure waits for the switch itself to try again.
 */
export function prefetchLanguages(): void {
  for (const locale of Object.keys(LOADERS) as Locale[]) loadLanguage(locale).catch(() => undefined);
}
