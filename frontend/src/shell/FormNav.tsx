import { useEffect, useState, type ReactNode } from 'react';
import { AppstoreOutlined, CalendarOutlined, FileTextOutlined, ShareAltOutlined, TableOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Menu, type MenuProps } from 'antd';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { AppDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { viewsApi, viewsKey, type ViewItem } from '../views/api';
import { viewQuery } from '../views/viewUrl';

type Item = Required<MenuProps>['items'][number];

const LINKS = ':links';
const GROUP = ':group';
const VIEW = ':view:';
const viewMenuKey = (form: string, id: string) => `${form}${VIEW}${id}`;

const TYPE_ICON: Record<string, ReactNode> = {
  kanban: <AppstoreOutlined />,
  calendar: <CalendarOutlined />,
};

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
  useEffect(() => {
    const ready = () => setIdle(true);
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(ready, { timeout: 2000 });
      return () => window.cancelIdleCallback(handle);
    }
    const handle = window.setTimeout(ready, 300);
    return () => window.clearTimeout(handle);
  }, []);
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

/**
 * The forms of one app as a menu, each form's views under it (a collapsed group once a form has
 * views; the open form's group opens by itself); used in the desktop side bar and in the phone
 * drawer. A view opens the list with its settings in the URL (`sv` marks it), which is also how
 * the current view is highlighted.
 */
export function FormNav({ app, onNavigate }: { app: AppDetail; onNavigate?: () => void }) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
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

  // the open form's public fill links, for those who manage it
  const manages = (form: string) => form === current && Boolean(app.access?.[form]?.actions.includes('manage'));
  const linksItem = (form: string, nested: boolean): Item[] =>
    manages(form)
      ? [
          {
            key: form + LINKS,
            icon: <ShareAltOutlined />,
            label: t('links.nav'),
            style: nested ? undefined : { paddingInlineStart: 40, fontSize: 13 },
            'data-testid': `nav-links-${form}`,
          } as Item,
        ]
      : [];
  const viewTitle = (view: ViewItem) =>
    view.source === 'definition' ? t('nav.appView') : view.mine ? (view.shared ? t('nav.mySharedView') : t('nav.myView')) : t('nav.sharedBy', { name: view.owner?.name ?? '' });

  const items: Item[] = app.definition.forms.flatMap((form): Item[] => {
    const list = views[form.key] ?? [];
    if (list.length === 0) {
      return [{ key: form.key, icon: <FileTextOutlined />, label: text(form.name), 'data-testid': `nav-form-${form.key}` } as Item, ...linksItem(form.key, false)];
    }
    return [
      {
        key: form.key + GROUP,
        icon: <FileTextOutlined />,
        label: <span data-testid={`nav-form-${form.key}`}>{text(form.name)}</span>,
        onTitleClick: () => {
          // the form's name opens its list, as it does for a form without views
          if (!(onList && form.key === current && !savedView)) navigate(paths.list(app.key, form.key));
        },
        children: [
          { key: form.key, icon: <UnorderedListOutlined />, label: t('views.all'), 'data-testid': `nav-all-${form.key}` } as Item,
          ...list.map(
            (view) =>
              ({
                key: viewMenuKey(form.key, view.id),
                icon: TYPE_ICON[view.type ?? 'table'] ?? <TableOutlined />,
                label: <span title={`${text(view.name)} · ${viewTitle(view)}`}>{text(view.name)}</span>,
                'data-testid': `nav-view-${form.key}-${view.id}`,
              }) as Item,
          ),
          ...linksItem(form.key, true),
        ],
      } as Item,
    ];
  });

  const selected = !current ? [] : onLinks ? [current + LINKS] : savedView ? [viewMenuKey(current, savedView)] : [current];
  return (
    <Menu
      mode="inline"
      inlineIndent={16}
      className="form-nav"
      selectedKeys={selected}
      openKeys={open}
      onOpenChange={setOpen}
      style={{ borderInlineEnd: 'none' }}
      items={items}
      onClick={({ key }) => {
        if (key.endsWith(LINKS)) navigate(paths.links(app.key, key.slice(0, -LINKS.length)));
        else if (key.includes(VIEW)) {
          const [form, id] = [key.slice(0, key.indexOf(VIEW)), key.slice(key.indexOf(VIEW) + VIEW.length)];
          const view = views[form]?.find((v) => v.id === id);
          navigate(`${paths.list(app.key, form)}${view ? `?${viewQuery(view, view.id)}` : ''}`);
        } else navigate(paths.list(app.key, key));
        onNavigate?.();
      }}
    />
  );
}
