import { FileTextOutlined, ShareAltOutlined } from '@ant-design/icons';
import { Menu } from 'antd';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';

const LINKS = ':links';

/** The forms of one app as a menu; used in the desktop side bar and in the phone drawer. */
export function FormNav({ app, onNavigate }: { app: AppDetail; onNavigate?: () => void }) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  const current = useParams().form;
  const onLinks = useLocation().pathname.endsWith('/links');
  // the open form's public fill links, for those who manage it
  const manages = (form: string) => form === current && Boolean(app.access?.[form]?.actions.includes('manage'));
  return (
    <Menu
      mode="inline"
      selectedKeys={current ? [onLinks ? current + LINKS : current] : []}
      style={{ borderInlineEnd: 'none' }}
      items={app.definition.forms.flatMap((form) => [
        {
          key: form.key,
          icon: <FileTextOutlined />,
          label: text(form.name),
          'data-testid': `nav-form-${form.key}`,
        },
        ...(manages(form.key)
          ? [{ key: form.key + LINKS, icon: <ShareAltOutlined />, label: t('links.nav'), style: { paddingInlineStart: 44, fontSize: 13 }, 'data-testid': `nav-links-${form.key}` }]
          : []),
      ])}
      onClick={({ key }) => {
        navigate(key.endsWith(LINKS) ? paths.links(app.key, key.slice(0, -LINKS.length)) : paths.list(app.key, key));
        onNavigate?.();
      }}
    />
  );
}
