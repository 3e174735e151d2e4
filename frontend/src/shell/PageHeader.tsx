import type { ReactNode } from 'react';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { useI18n } from '../i18n/I18nProvider';

interface PageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  onBack?: () => void;
  extra?: ReactNode;
}

/** A page's title row: optional back button, title, actions on the right (wrapping on phones). */
export function PageHeader({ title, subtitle, onBack, extra }: PageHeaderProps) {
  const { t } = useI18n();
  return (
    <div className="page-header">
      <div className="page-header__title">
        {onBack && (
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('action.back')} data-testid="page-back" />
        )}
        <div style={{ minWidth: 0 }}>
          {/* the page's h1 (one per page, for screen-reader navigation), drawn the size of an h4 */}
          <Typography.Title level={1} className="heading-as-h4" style={{ margin: 0 }} ellipsis>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary" className="page-header__subtitle">{subtitle}</Typography.Text>}
        </div>
      </div>
      {extra && <div className="page-header__extra">{extra}</div>}
    </div>
  );
}
