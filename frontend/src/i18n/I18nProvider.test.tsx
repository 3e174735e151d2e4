import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider, useI18n } from './I18nProvider';
import { loadedLanguage, loadLanguage } from './languages';

function Probe() {
  const { t, locale, setLocale, antdLocale } = useI18n();
  return (
    <button type="button" data-locale={antdLocale.locale} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
      {t('action.save')}
    </button>
  );
}

describe('I18nProvider', () => {
  it('speaks the language from its own chunk, antd included, and switches at once to a loaded one', () => {
    render(
      <I18nProvider locale="en">
        <Probe />
      </I18nProvider>,
    );
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button).toHaveAttribute('data-locale', 'en');
    act(() => button.click());
    expect(screen.getByRole('button', { name: '保存' })).toHaveAttribute('data-locale', 'zh-cn');
    expect(localStorage.getItem('tessera.locale')).toBe('zh-CN');
  });

  it('loads each language once', async () => {
    const pack = loadedLanguage('zh-CN');
    expect(pack?.messages['action.save']).toBe('保存');
    expect(await loadLanguage('zh-CN')).toBe(pack);
    expect(loadedLanguage('en')?.messages['action.save']).toBe('Save');
  });
});
