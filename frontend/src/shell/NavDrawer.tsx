import { Drawer } from 'antd';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { OneLine } from '../lib/OneLine';
import { FormNav } from './FormNav';
import type { LayoutClassNames } from './layoutClassNames';

/**
 * The phone's form menu in a drawer from the left. Its own module, loaded lazily by AppLayout's
 * PhoneNav: antd's Drawer (with rc-drawer and its styles) is only needed once someone on a
 * phone opens the menu, and was part of the shell's one file that every page load compiles.
 */
export default function NavDrawer({ app, classNames, open, onClose }: { app: AppDetail; classNames: LayoutClassNames; open: boolean; onClose: () => void }) {
  const { text } = useI18n();
  return (
    <Drawer placement="left" open={open} onClose={onClose} size={280} title={<OneLine className={classNames.title}>{text(app.name)}</OneLine>}>
      <FormNav app={app} onNavigate={onClose} />
    </Drawer>
  );
}
