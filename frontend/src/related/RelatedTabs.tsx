import { PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Tabs } from 'antd';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useRecordCount } from '../api/queries';
import type { AppDetail, FormDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { RelatedTable } from './RelatedTable';
import { can, isReadonlyFor, prefillSearch, relatedFilter, relatedLinks, relatedPrefill, type RelatedLink } from './relations';

/** The URL parameter that remembers the open tab (so coming back from a related record keeps it). */
export const TAB_PARAM = 'related';

function TabLabel({ app, link, label, filter }: { app: string; link: RelatedLink; label: string; filter: string }) {
  const count = useRecordCount(app, link.form.key, filter);
  const n = count.data?.count;
  return (
    <span data-testid={`related-tab-${link.key}`}>
      {label}{' '}
      {n !== undefined && (
        <Badge
          count={count.data?.exact === false ? `${n}+` : n}
          showZero
          overflowCount={9999}
          color={n > 0 ? 'blue' : 'rgba(0, 0, 0, 0.25)'}
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
  if (links.length === 0) return null;
  const perForm = (key: string) => links.filter((l) => l.form.key === key).length;
  const labelOf = (link: RelatedLink) =>
    perForm(link.form.key) > 1 ? `${text(link.form.name)} · ${text(link.field.label)}` : text(link.form.name);
  const active = links.some((l) => l.key === params.get(TAB_PARAM)) ? params.get(TAB_PARAM)! : links[0].key;
  // coming back from the new record opens the tab it was made from
  const backTo = (link: RelatedLink) => {
    const next = new URLSearchParams(params);
    next.set(TAB_PARAM, link.key);
    return `${location.pathname}?${next.toString()}`;
  };

  const items = links.map((link) => {
    const filter = relatedFilter(link, id);
    const creatable = can(app, link.form.key, 'create') && !isReadonlyFor(app, link.form.key, link.field.key);
    const name = text(link.form.name);
    const create = creatable ? () => navigate(paths.create(app.key, link.form.key) + prefillSearch(relatedPrefill(link, id), backTo(link))) : undefined;
    return {
      key: link.key,
      label: <TabLabel app={app.key} link={link} label={labelOf(link)} filter={filter} />,
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

  return (
    <Card variant="borderless" title={t('related.title')} className="related-card" data-testid="related">
      <Tabs
        activeKey={active}
        items={items}
        onChange={(key) =>
          setParams(
            (current) => {
              const next = new URLSearchParams(current);
              next.set(TAB_PARAM, key);
              return next;
            },
            { replace: true },
          )
        }
      />
    </Card>
  );
}
