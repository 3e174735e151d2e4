import { describe, expect, it } from 'vitest';
import { browserLocale, initialLocale, localize, rememberLocale } from './locale';
import { messages } from './messages';
import { format } from './I18nProvider';

describe('locale', () => {
  it('is Chinese for any Chinese browser and English otherwise', () => {
    expect(browserLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(browserLocale(['zh-TW'])).toBe('zh-CN');
    expect(browserLocale(['de-DE', 'zh-CN'])).toBe('en');
  });

  it('remembers the language the user picked', () => {
    rememberLocale('zh-CN');
    expect(initialLocale()).toBe('zh-CN');
    rememberLocale('en');
    expect(initialLocale()).toBe('en');
  });

  it('tells the server the language picked, which draws a full page load in it (docs/first-paint.md)', () => {
    rememberLocale('zh-CN');
    expect(document.cookie).toBe('tessera_locale=zh-CN');
    rememberLocale('en');
    expect(document.cookie).toBe('tessera_locale=en');
  });

  it('picks a definition text in the language, falling back to another', () => {
    expect(localize({ 'zh-CN': '客户', en: 'Customer' }, 'zh-CN')).toBe('客户');
    expect(localize({ 'zh-CN': '客户' }, 'en')).toBe('客户');
    expect(localize({ zh: '客户', en: 'Customer' }, 'zh-CN')).toBe('客户');
    expect(localize(undefined, 'en')).toBe('');
  });

  it('has every message in both languages', () => {
    const english = Object.keys(messages.en).sort();
    expect(Object.keys(messages['zh-CN']).sort()).toEqual(english);
    for (const [key, text] of Object.entries(messages['zh-CN'])) expect(text, key).not.toBe('');
  });
});

describe('format', () => {
  it('fills variables and picks the English plural form', () => {
    const template = 'changed {count, plural, one {# field} other {# fields}} of {form}';
    expect(format(template, { count: 1, form: 'Order' })).toBe('changed 1 field of Order');
    expect(format(template, { count: 3, form: 'Order' })).toBe('changed 3 fields of Order');
    expect(format(template, { count: 0, form: 'Order' })).toBe('changed 0 fields of Order');
    expect(format('{missing} stays', {})).toBe('{missing} stays');
  });

  it('ends no Chinese message with an ASCII colon (Chinese takes the full-width ：)', () => {
    const wrong = Object.entries(messages['zh-CN']).filter(([, text]) => /:\s*$/.test(text));
    expect(wrong).toEqual([]);
  });

  it('writes the singular in every English message filled with a count of one', () => {
    // "1 of these records have problems.", "Edit 1 records": a count needs the plural syntax
    const wrong = Object.entries(messages.en)
      .map(([key, template]) => [key, format(template, new Proxy({}, { has: () => true, get: () => 1 }))])
      .filter(([, text]) => /\b1 (?!is\b|was\b|has\b)[a-z-]+s\b|\b1 of these \w+ (have|are)\b/.test(text));
    expect(wrong).toEqual([]);
  });

  it('leaves no plural syntax in any English message', () => {
    for (const template of Object.values(messages.en)) {
      const filled = format(template, new Proxy({}, { has: () => true, get: () => 2 }));
      expect(filled).not.toMatch(/plural,/);
    }
  });
});
