import { PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Skeleton, Tabs } from 'antd';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useQueries } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys, recordsPath } from '../api/queries';
import type { AppDetail, FormDef, RecordCount } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { RelatedTable } from './RelatedTable';
import { can, isReadonlyFor, prefillSearch, relatedFilter, relatedLinks, relatedPrefill, type RelatedLink } from './relations';

/** The URL parameter that remembers the open tab (so coming back from a related record keeps it). */
export const TAB_PARAM = 'related';

function TabLabel({ link, label, count }: { link: RelatedLink; label: string; count?: RecordCount }) {
  return (
    <span data-testid={`related-tab-${link.key}`}>
      {label}{' '}
      {count && (
        <Badge
          count={count.exact === false ? `${count.count}+` : count.count}
          showZero
          overflowCount={9999}
          color={count.count > 0 ? 'blue' : 'rgba(0, 0, 0, 0.25)'}
          data-testid={`related-count-${link.key}`}
        />
      )}
    </span>
  );
}

interface RelatedTabsProps {
  app: AppDetail;
  form: FormDef;
  id: string;
}

/**
 * The 360° view's lower half: a tab per form and relation field pointing at this record (a
 * customer's contacts, opportunities, follow-ups, contracts…), each with its count, a compact
 * paged table and a "New …" button that starts already linked to this record.
 */
export function RelatedTabs({ app, form, id }: RelatedTabsProps) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const links = relatedLinks(app, form.key);
  const filters = links.map((link) => relatedFilter(link, id));
  const counts = useQueries({
    queries: links.map((link, i) => ({
      queryKey: keys.recordCount(app.key, link.form.key, filters[i]),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<RecordCount>(`${recordsPath(app.key, link.form.key)}/count`, { filter: filters[i] }, signal),
    })),
  });
  if (links.length === 0) return null;
  const perForm = (key: string) => links.filter((l) => l.form.key === key).length;
  const labelOf = (link: RelatedLink) =>
    perForm(link.form.key) > 1 ? `${text(link.form.name)} · ${text(link.field.label)}` : text(link.form.name);
  // the tab in the URL, else the first one with records once the counts are in
  const chosen = links.find((l) => l.key === params.get(TAB_PARAM));
  const counted = counts.every((c) => !c.isPending);
  const active = chosen ?? links.find((_, i) => (counts[i].data?.count ?? 0) > 0) ?? links[0];
  // coming back from the new record opens the tab it was made from
  const backTo = (link: RelatedLink) => {
    const next = new URLSearchParams(params);
    next.set(TAB_PARAM, link.key);
    return `${location.pathname}?${next.toString()}`;
  };

  const items = links.map((link, i) => {
    const filter = filters[i];
    // a relation shown only under a condition (a lead's "converted to") would be dropped from a
    // new record's data while hidden, so the link could not be kept: no "New" there
    const creatable = can(app, link.form.key, 'create') && !isReadonlyFor(app, link.form.key, link.field.key) && link.field.visible_when == null;
    const name = text(link.form.name);
    const create = creatable ? () => navigate(paths.create(app.key, link.form.key) + prefillSearch(relatedPrefill(link, id), backTo(link))) : undefined;
    return {
      key: link.key,
      label: <TabLabel link={link} label={labelOf(link)} count={counts[i].data} />,
      children: (
        <div className="related-pane">
          {create && (
            <div className="related-pane__bar">
              <Button size="small" icon={<PlusOutlined />} onClick={create} data-testid={`related-new-${link.form.key}`}>
                {t('related.new', { form: name })}
              </Button>
            </div>
          )}
          <RelatedTable
            app={app.key}
            form={link.form}
            via={link.field.key}
            filter={filter}
            empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('related.empty', { form: name })} />}
          />
        </div>
      ),
    };
  });

  const open = (key: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set(TAB_PARAM, key);
        return next;
      },
      { replace: true },
    );
  return (
    <Card variant="borderless" title={t('related.title')} className="related-card" data-testid="related">
      {!chosen && !counted ? <Skeleton active paragraph={{ rows: 3 }} /> : <Tabs activeKey={active.key} items={items} onChange={open} />}
    </Card>
  );
}
