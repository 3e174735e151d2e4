import { lazy, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import { FeedbackProvider } from '../lib/feedback';
import { theme } from './theme';

/** antd's message, notification and modal, loaded when the first is shown (lib/feedback). */
const FeedbackHost = lazy(() => import('./FeedbackHost'));

/** antd's theme and language, following the app's language. */
export function AntdProvider({ children }: { children: ReactNode }) {
  const { antdLocale } = useI18n();
  return (
    <ConfigProvider locale={antdLocale} theme={theme}>
      <FeedbackProvider host={FeedbackHost}>{children}</FeedbackProvider>
    </ConfigProvider>
  );
}
