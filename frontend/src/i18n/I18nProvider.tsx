import { createContext, use, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import type { Locale as AntdLocale } from 'antd/es/locale';
import { setApiLanguage } from '../api/client';
import type { MessageKey } from './messages';
import { loadedLanguage, loadLanguage } from './languages';
import { initialLocale, localize, rememberLocale, type Locale } from './locale';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18nValue {
  locale: Locale;
  /** switches once the language's chunk is in (at once if it is) */
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** whether the tables have this key: words for a code the server sends (an audit action), which
   * show the code alone when this build has none */
  known: (key: string) => key is MessageKey;
  /** antd's texts in the current language, for its ConfigProvider */
  antdLocale: AntdLocale;
  /** a definition's locale map in the current language */
  text: (value: Record<string, string> | string | undefined | null) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

/** `{count, plural, one {# record} other {# records}}`: English needs the two forms, Chinese none. */
const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template
    .replace(PLURAL, (whole, name: string, one: string, other: string) =>
      name in vars ? (Number(vars[name]) === 1 ? one : other).replace(/#/g, String(vars[name])) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());

  const setLocale = useCallback((next: Locale) => {
    const show = () => {
      rememberLocale(next);
      setLocaleState(next);
    };
    // the language already shown or picked before switches in this very event; another is
    // shown once its chunk is in (the current one stays until then)
    if (loadedLanguage(next)) show();
    else loadLanguage(next).then(show, () => undefined);
  }, []);

  // main.tsx renders once the first language is in; a test, or a render that got ahead of it,
  // waits for it here
  const pack = loadedLanguage(locale) ?? use(loadLanguage(locale));

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nValue>(() => {
    const table = pack.messages;
    return {
      locale,
      setLocale,
      t: (key, vars) => format(table[key], vars),
      known: (key): key is MessageKey => Object.prototype.hasOwnProperty.call(table, key),
      text: (input) => localize(input, locale),
      antdLocale: pack.antd,
    };
  }, [locale, setLocale, pack]);

  // dayjs and the API must speak the language before the first render that uses them.
  dayjs.locale(pack.dayjs);
  setApiLanguage(locale);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() outside <I18nProvider>');
  return value;
}
