import { lazy, useMemo, type ReactNode } from 'react';
import { EllipsisOutlined, SearchOutlined } from '@ant-design/icons';
import { ConfigProvider } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import { FeedbackProvider } from '../lib/feedback';
import { theme } from './theme';

/** antd's message, notification and modal, loaded when the first is shown (lib/feedback). */
const FeedbackHost = lazy(() => import('./FeedbackHost'));

/**
 * antd's theme and language, following the app's language. Icons are decorative in this build
 * (scripts/decorative-icons.mjs: antd's English icon names hidden from screen readers), so the
 * two icon-only buttons antd draws on its own are given their icon named in the app's language:
 * a search box's search button and the tabs' "more" button.
 */
export function AntdProvider({ children }: { children: ReactNode }) {
  const { antdLocale, t } = useI18n();
  // the same objects while the language is the same: a new one would re-render every antd consumer
  const named = useMemo(
    () => ({
      inputSearch: { searchIcon: <SearchOutlined aria-label={t('action.search')} /> },
      tabs: { more: { icon: <EllipsisOutlined aria-label={t('action.moreTabs')} /> } },
    }),
    [t],
  );
  return (
    <ConfigProvider locale={antdLocale} theme={theme} inputSearch={named.inputSearch} tabs={named.tabs}>
      <FeedbackProvider host={FeedbackHost}>{children}</FeedbackProvider>
    </ConfigProvider>
  );
}
