import { CheckOutlined, LogoutOutlined, SettingOutlined, TranslationOutlined } from '@ant-design/icons';
import { Dropdown, Typography, type MenuProps } from 'antd';
import useAvatarStyle from 'antd/es/avatar/style';
import { useNavigate } from 'react-router';
import { authApi, useMe } from '../api/queries';
import { clearDrafts } from '../form/useDraftAutosave';
import { useI18n } from '../i18n/I18nProvider';
import { prefetchLanguages } from '../i18n/languages';
import { LOCALES, type Locale } from '../i18n/locale';
import { classNames, useAntdClasses } from '../lib/antdClasses';
import { paths } from '../lib/paths';
import { BRAND } from '../app/theme';
import type { LoginState } from '../auth/RequireAuth';
import { LANGUAGE_NAMES } from './LanguageSwitch';

function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  // CJK names read best as their last character; Latin names as their first letter.
  return /[\u3400-\u9fff]/.test(trimmed) ? trimmed.slice(-1) : trimmed[0].toUpperCase();
}

/**
 * antd's 30 px circle Avatar with one letter, drawn in its markup: the Avatar measures its text
 * after mounting to scale it down (a forced layout of the page on every full load, and a
 * resize observer), but one letter at 18 px always fits its 22 px, so the scale is always 1.
 */
function InitialAvatar({ name }: { name: string }) {
  const { prefix: prefixCls, hashId, cssVarCls, rootCls } = useAntdClasses('avatar', useAvatarStyle, true);
  return (
    // hidden from screen readers: the button is named by the whole name, the initials add nothing
    <span aria-hidden="true" className={classNames(prefixCls, `${prefixCls}-circle`, cssVarCls, rootCls, hashId)} style={{ width: 30, height: 30, fontSize: 18, background: BRAND }}>
      <span className={`${prefixCls}-string`} style={{ transform: 'scale(1)' }}>
        {initials(name)}
      </span>
    </span>
  );
}

export function UserMenu({ compact }: { compact: boolean }) {
  const { t, locale, setLocale } = useI18n();
  const me = useMe().data;
  const navigate = useNavigate();
  if (!me) return null;

  const logout = async () => {
    // a deliberate sign-out may be the last thing done at a shared computer: the unsaved drafts
    // go with the session (an expired session keeps them for the same user's return)
    clearDrafts(me.id);
    try {
      await authApi.logout();
    } finally {
      // the login page forgets the cached data once the signed-in pages are gone
      void navigate(paths.login(), { replace: true, state: { signedOut: true } satisfies LoginState });
    }
  };

  const items: MenuProps['items'] = [
    {
      key: 'who',
      type: 'group',
      label: (
        <div className="user-menu__who">
          <Typography.Text strong>{me.name}</Typography.Text>
          <Typography.Text type="secondary">{me.email}</Typography.Text>
        </div>
      ),
    },
    { type: 'divider' },
    {
      // a group, not a sub-menu: one tap on a phone, nothing to hover
      key: 'language',
      type: 'group',
      label: (
        <span>
          <TranslationOutlined aria-hidden="true" /> {t('shell.language')}
        </span>
      ),
      children: LOCALES.map((key) => ({
        key: `lang:${key}`,
        label: LANGUAGE_NAMES[key],
        extra: key === locale ? <CheckOutlined /> : undefined,
        onClick: () => setLocale(key as Locale),
      })),
    },
    { type: 'divider' },
    ...(me.is_admin ? [{ key: 'admin', icon: <SettingOutlined />, label: t('admin.menu'), onClick: () => void navigate('/admin/members') }] : []),
    { key: 'logout', icon: <LogoutOutlined />, label: t('shell.logout'), danger: true, onClick: () => void logout() },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight" onOpenChange={(open) => open && prefetchLanguages()}>
      <button type="button" className="user-menu__trigger" data-testid="user-menu" aria-label={compact ? me.name || me.email : undefined}>
        <InitialAvatar name={me.name || me.email} />
        {!compact && <span className="user-menu__name">{me.name || me.email}</span>}
      </button>
    </Dropdown>
  );
}
