import type { ReactNode } from 'react';
import { App as AntdApp, ConfigProvider } from 'antd';
// the ES modules (antd/locale/* are CommonJS re-exports of antd/lib: a second, CommonJS copy of
// the picker and pagination locales evaluated with the shell)
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useI18n } from '../i18n/I18nProvider';
import { theme } from './theme';

/** antd's theme and language, following the app's language. */
export function AntdProvider({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={theme}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}
