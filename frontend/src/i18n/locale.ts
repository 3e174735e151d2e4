export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'tessera.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** zh-CN for a browser that prefers any Chinese, English otherwise. */
export function browserLocale(languages: readonly string[] = navigator.languages ?? []): Locale {
  const first = languages[0] ?? navigator.language ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The language the user picked last on this browser, if they ever picked one. */
export function pickedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be disabled (private mode): fall back to the browser.
  }
  return null;
}

/** The language the user picked last on this browser, else the browser's own. */
export function initialLocale(): Locale {
  return pickedLocale() ?? browserLocale();
}

/**
 * The cookie the server reads to draw a full page load in the language picked here (a
 * server-drawn first paint, docs/first-paint.md §2): localStorage never reaches the server.
 */
export const LOCALE_COOKIE = 'tessera_locale';

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered, still switched for this visit.
  }
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; SameSite=Lax`;
}

/** Picks a definition's text in the current locale, falling back to any language it has. */
export function localize(text: Record<string, string> | string | undefined | null, locale: Locale): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  const base = locale.split('-')[0];
  return (
    text[locale] ??
    text[base] ??
    Object.entries(text).find(([key]) => key.startsWith(base))?.[1] ??
    text.en ??
    text['zh-CN'] ??
    Object.values(text)[0] ??
    ''
  );
}
