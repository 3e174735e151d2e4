import type { ReactNode } from 'react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
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
