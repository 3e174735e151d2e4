import { TranslationOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import { prefetchLanguages } from '../i18n/languages';
import { LOCALES, type Locale } from '../i18n/locale';

/** Each language named in itself, so anyone can find their own. */
export const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

/** A compact language picker for pages without the user menu (the login page). */
export function LanguageSwitch() {
  const { locale, setLocale } = useI18n();
  return (
    <Dropdown
      onOpenChange={(open) => open && prefetchLanguages()}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((key) => ({ key, label: LANGUAGE_NAMES[key] })),
        onClick: ({ key }) => setLocale(key as Locale),
      }}
    >
      <Button type="text" icon={<TranslationOutlined />} data-testid="language-switch">
        {LANGUAGE_NAMES[locale]}
      </Button>
    </Dropdown>
  );
}
