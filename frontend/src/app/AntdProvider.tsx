import type { ReactNode } from 'react';
import { App as AntdApp, ConfigProvider } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import { theme } from './theme';

/** antd's theme and language, following the app's language. */
export function AntdProvider({ children }: { children: ReactNode }) {
  const { antdLocale } = useI18n();
  return (
    <ConfigProvider locale={antdLocale} theme={theme}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}
