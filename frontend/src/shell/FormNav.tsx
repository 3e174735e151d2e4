import { useEffect, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { AppstoreOutlined, CalendarOutlined, FileTextOutlined, ShareAltOutlined, TableOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import useMenuStyle from 'antd/es/menu/style';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { classNames, useAntdClasses } from '../lib/antdClasses';
import { paths } from '../lib/paths';
import { whenIdle } from '../lib/whenIdle';
import { viewsApi, viewsKey, type ViewItem } from '../views/api';
import { viewQuery } from '../views/viewUrl';

const LINKS = ':links';
const GROUP = ':group';
const VIEW = ':view:';
const viewMenuKey = (form: string, id: string) => `${form}${VIEW}${id}`;

const ICON = 'ant-menu-item-icon';
const TYPE_ICON: Record<string, ReactNode> = {
  kanban: <AppstoreOutlined className={ICON} />,
  calendar: <CalendarOutlined className={ICON} />,
};
/** antd's inline menu indents each level by this much (the `inlineIndent` the menu had). */
const INDENT = 16;

/** Definition views first, then the caller's own, then those others share (as the list's picker orders them). */
function ordered(items: ViewItem[]): ViewItem[] {
  const rank = (view: ViewItem) => (view.source === 'definition' ? 0 : view.mine ? 1 : 2);
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/**
 * The views of each form the caller may read (GET …/views: the app's views, their own saved
 * views and those shared with everyone), cached under the same key as the list's view picker so
 * saving a view there shows it here. The open form's views load at once; the others once the
 * browser is idle, so ten forms' requests do not compete with the page's own.
 */
function useFormViews(app: AppDetail, current: string | undefined) {
  const [idle, setIdle] = useState(false);
  useEffect(() => whenIdle(() => setIdle(true), 300), []);
  const readable = (form: string) => !app.access || Boolean(app.access[form]?.actions.includes('view'));
  const forms = app.definition.forms.map((form) => form.key);
  const results = useQueries({
    queries: forms.map((form) => ({
      queryKey: viewsKey(app.key, form),
      queryFn: ({ signal }: { signal: AbortSignal }) => viewsApi.list(app.key, form, signal),
      staleTime: 60_000,
      retry: false,
      refetchOnWindowFocus: false,
      enabled: readable(form) && (idle || form === current),
    })),
  });
  return Object.fromEntries(forms.map((form, i) => [form, ordered(results[i]?.data?.items ?? [])]));
}

/** One entry of the menu: a page to open. */
interface NavItem {
  key: string;
  icon: ReactNode;
  label: ReactNode;
  testId: string;
  style?: CSSProperties;
}

/** A form with views: its name opens the list, and folds its views in or out. */
interface NavGroup extends Omit<NavItem, 'style'> {
  children: NavItem[];
}

/**
 * antd's menu class names, with the CSS variables of our theme registered for them the way
 * antd's Menu does (the zero-runtime stylesheet reads `--ant-menu-*` from `.ant-menu-css-var`).
 */
function useMenuClassName(): string {
  const { prefix, hashId, cssVarCls, rootCls } = useAntdClasses('menu', useMenuStyle, true);
  return classNames(prefix, `${prefix}-root`, `${prefix}-inline`, `${prefix}-light`, 'form-nav', hashId, cssVarCls, rootCls);
}

/**
 * Arrow keys move between the visible entries, Enter and Space open one, right and left fold a
 * form's views in and out (what antd's inline menu does with its keys).
 */
function onMenuKey(event: KeyboardEvent<HTMLUListElement>, fold: (group: string, open: boolean) => void) {
  const entries = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const at = entries.indexOf(document.activeElement as HTMLElement);
  const focus = (index: number) => {
    event.preventDefault();
    entries[(index + entries.length) % entries.length]?.focus();
  };
  const entry = entries[at];
  const group = entry?.dataset.group;
  switch (event.key) {
    case 'ArrowDown':
      return focus(at + 1);
    case 'ArrowUp':
      return focus(at < 0 ? entries.length - 1 : at - 1);
    case 'Home':
      return focus(0);
    case 'End':
      return focus(entries.length - 1);
    case 'Enter':
    case ' ':
      if (!entry) return;
      event.preventDefault();
      entry.click();
      return;
    case 'ArrowRight':
      if (group && entry?.getAttribute('aria-expanded') === 'false') {
        event.preventDefault();
        fold(group, true);
      }
      return;
    case 'ArrowLeft': {
      if (group && entry?.getAttribute('aria-expanded') === 'true') {
        event.preventDefault();
        fold(group, false);
        return;
      }
      // from a view to its form's name
      const title = entry?.closest('.ant-menu-submenu')?.querySelector<HTMLElement>('.ant-menu-submenu-title');
      if (title && title !== entry) focus(entries.indexOf(title));
      return;
    }
  }
}

function MenuEntry({ item, level, selected, onOpen }: { item: NavItem; level: number; selected: boolean; onOpen: (key: string) => void }) {
  return (
    <li
      className={selected ? 'ant-menu-item ant-menu-item-selected' : 'ant-menu-item'}
      role="menuitem"
      tabIndex={-1}
      data-testid={item.testId}
      style={{ paddingLeft: level * INDENT, ...item.style }}
      onClick={() => onOpen(item.key)}
    >
      {item.icon}
      <span className="ant-menu-title-content">{item.label}</span>
    </li>
  );
}

/**
 * The forms of one app as a menu, each form's views under it (a collapsed group once a form has
 * views; the open form's group opens by itself); used in the desktop side bar and in the phone
 * drawer. A view opens the list with its settings in the URL (`sv` marks it), which is also how
 * the current view is highlighted.
 *
 * It draws antd's inline Menu markup and class names (so it looks and reads the same: roles
 * `menu`/`menuitem`, `aria-expanded`) without antd's Menu machinery: a full page load renders
 * it before the page, and the Menu's per-item tooltips, overflow measuring and resize observers
 * cost more than the page itself needs. Folding has no height animation.
 */
export function FormNav({ app, onNavigate }: { app: AppDetail; onNavigate?: () => void }) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  const className = useMenuClassName();
  const current = useParams().form;
  const [search] = useSearchParams();
  const { pathname } = useLocation();
  const onLinks = pathname.endsWith('/links');
  const onList = current !== undefined && pathname === paths.list(app.key, current);
  const savedView = onList ? (search.get('sv') ?? '') : '';
  const views = useFormViews(app, current);
  const [open, setOpen] = useState<string[]>(current ? [current + GROUP] : []);
  useEffect(() => {
    // the form opened (from here, a link or the address bar) shows its views, the others fold
    // away so ten forms' views do not pile up; a group can still be opened by hand
    if (current) setOpen([current + GROUP]);
  }, [current]);
  const fold = (group: string, unfold: boolean) => setOpen((keys) => (unfold ? [...keys.filter((key) => key !== group), group] : keys.filter((key) => key !== group)));

  // the open form's public fill links, for those who manage it
  const manages = (form: string) => form === current && Boolean(app.access?.[form]?.actions.includes('manage'));
  const linksItem = (form: string, nested: boolean): NavItem[] =>
    manages(form)
      ? [
          {
            key: form + LINKS,
            icon: <ShareAltOutlined className={ICON} />,
            label: t('links.nav'),
            style: nested ? undefined : { paddingInlineStart: 40, fontSize: 13 },
            testId: `nav-links-${form}`,
          },
        ]
      : [];
  const viewTitle = (view: ViewItem) =>
    view.source === 'definition' ? t('nav.appView') : view.mine ? (view.shared ? t('nav.mySharedView') : t('nav.myView')) : t('nav.sharedBy', { name: view.owner?.name ?? '' });

  const entries: (NavItem | NavGroup)[] = app.definition.forms.flatMap((form): (NavItem | NavGroup)[] => {
    const list = views[form.key] ?? [];
    const icon = <FileTextOutlined className={ICON} />;
    if (list.length === 0) return [{ key: form.key, icon, label: text(form.name), testId: `nav-form-${form.key}` }, ...linksItem(form.key, false)];
    return [
      {
        key: form.key + GROUP,
        icon,
        label: text(form.name),
        testId: `nav-form-${form.key}`,
        children: [
          { key: form.key, icon: <UnorderedListOutlined className={ICON} />, label: t('views.all'), testId: `nav-all-${form.key}` },
          ...list.map((view) => ({
            key: viewMenuKey(form.key, view.id),
            icon: TYPE_ICON[view.type ?? 'table'] ?? <TableOutlined className={ICON} />,
            label: <span title={`${text(view.name)} · ${viewTitle(view)}`}>{text(view.name)}</span>,
            testId: `nav-view-${form.key}-${view.id}`,
          })),
          ...linksItem(form.key, true),
        ],
      },
    ];
  });

  const selected = !current ? '' : onLinks ? current + LINKS : savedView ? viewMenuKey(current, savedView) : current;
  const openEntry = (key: string) => {
    if (key.endsWith(LINKS)) navigate(paths.links(app.key, key.slice(0, -LINKS.length)));
    else if (key.includes(VIEW)) {
      const [form, id] = [key.slice(0, key.indexOf(VIEW)), key.slice(key.indexOf(VIEW) + VIEW.length)];
      const view = views[form]?.find((v) => v.id === id);
      navigate(`${paths.list(app.key, form)}${view ? `?${viewQuery(view, view.id)}` : ''}`);
    } else navigate(paths.list(app.key, key));
    onNavigate?.();
  };
  const openTitle = (group: NavGroup) => {
    const form = group.key.slice(0, -GROUP.length);
    fold(group.key, !open.includes(group.key));
    // the form's name opens its list, as it does for a form without views
    if (!(onList && form === current && !savedView)) navigate(paths.list(app.key, form));
  };

  return (
    <ul className={className} role="menu" tabIndex={0} style={{ borderInlineEnd: 'none' }} onKeyDown={(event) => onMenuKey(event, fold)}>
      {entries.map((entry) => {
        if (!('children' in entry)) return <MenuEntry key={entry.key} item={entry} level={1} selected={entry.key === selected} onOpen={openEntry} />;
        const expanded = open.includes(entry.key);
        const within = entry.children.some((child) => child.key === selected);
        const classes = ['ant-menu-submenu', 'ant-menu-submenu-inline', expanded && 'ant-menu-submenu-open', within && 'ant-menu-submenu-selected'];
        const listId = `form-nav-${app.key}-${entry.key}`;
        return (
          <li key={entry.key} className={classes.filter(Boolean).join(' ')} role="none">
            <div
              role="menuitem"
              className="ant-menu-submenu-title"
              tabIndex={-1}
              aria-expanded={expanded}
              aria-haspopup="true"
              aria-controls={listId}
              data-group={entry.key}
              style={{ paddingLeft: INDENT }}
              onClick={() => openTitle(entry)}
            >
              {entry.icon}
              <span data-testid={entry.testId}>{entry.label}</span>
              <i className="ant-menu-submenu-arrow" />
            </div>
            {expanded && (
              <ul className="ant-menu ant-menu-sub ant-menu-inline" role="menu" id={listId}>
                {entry.children.map((child) => (
                  <MenuEntry key={child.key} item={child} level={2} selected={child.key === selected} onOpen={openEntry} />
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
