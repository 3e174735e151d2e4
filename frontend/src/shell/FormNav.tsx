import { FileTextOutlined } from '@ant-design/icons';
import { Menu } from 'antd';
import { useNavigate, useParams } from 'react-router';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';

/** The forms of one app as a menu; used in the desktop side bar and in the phone drawer. */
export function FormNav({ app, onNavigate }: { app: AppDetail; onNavigate?: () => void }) {
  const { text } = useI18n();
  const navigate = useNavigate();
  const current = useParams().form;
  return (
    <Menu
      mode="inline"
      selectedKeys={current ? [current] : []}
      style={{ borderInlineEnd: 'none' }}
      items={app.definition.forms.map((form) => ({
        key: form.key,
        icon: <FileTextOutlined />,
        label: text(form.name),
        'data-testid': `nav-form-${form.key}`,
      }))}
      onClick={({ key }) => {
        navigate(paths.list(app.key, key));
        onNavigate?.();
      }}
    />
  );
}
