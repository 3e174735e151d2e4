import { useState } from 'react';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, DatePicker, Empty, Form, Grid, Input, Select, Skeleton, Table, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, buildUrl } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';
import { formatWhen } from '../lib/dates';
import { LoadError } from '../shell/LoadError';
import { useMembers } from './api';

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  actor: string | null;
  target_type: string | null;
  target_id: string | null;
  /** the target's name now (a member's, a department's, an app's names by language); null where it has none or is gone */
  target_name: string | Record<string, string> | null;
  details: unknown;
  ip: string | null;
  request_id: string | null;
}

interface AuditFilters {
  action?: string;
  actor?: string;
  since?: string;
  until?: string;
}

interface FilterValues {
  action?: string;
  actor?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const PAGE = 50;

/** The filter form's values as the API's query: a day range is [first day 00:00, day after last). */
export function toQuery(values: FilterValues): AuditFilters {
  const [from, to] = values.range ?? [null, null];
  return {
    action: values.action?.trim() || undefined,
    actor: values.actor || undefined,
    since: from ? from.startOf('day').toISOString() : undefined,
    until: to ? to.add(1, 'day').startOf('day').toISOString() : undefined,
  };
}

function Details({ value }: { value: unknown }) {
  if (value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0)) return <>—</>;
  return <pre className="admin__details">{JSON.stringify(value, null, 2)}</pre>;
}

/**
 * An audit action in words of the language shown (`admin.audit.do.<action>`: a Chinese admin read
 * `login.succeeded`), its code beside them since the action filter takes codes; an action this
 * build has no words for (a newer server's) shows its code alone.
 */
function ActionText({ action }: { action: string }) {
  const { t, known } = useI18n();
  const key = `admin.audit.do.${action}`;
  return (
    <span className="admin__action">
      {known(key) && <Typography.Text>{t(key)}</Typography.Text>} <Typography.Text code>{action}</Typography.Text>
    </span>
  );
}

export default function AuditPage() {
  const { t, text, known, locale } = useI18n();
  const desktop = Boolean(Grid.useBreakpoint().md);
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const members = useMembers().data ?? [];
  const pages = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: AuditEntry[]; next_cursor: string | null }>('/audit', { ...filters, limit: PAGE, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const target = (e: AuditEntry) => {
    if (!e.target_type) return '—';
    // what it is about, in words (`admin.audit.on.<type>`), else the type as the server names it
    const words = `admin.audit.on.${e.target_type}`;
    const kind = known(words) ? t(words) : e.target_type;
    // its name where the server knows one, else the id it was written with
    const which = e.target_name ? text(e.target_name) : e.target_id;
    return which ? `${kind} ${which}` : kind;
  };

  const columns: TableColumnsType<AuditEntry> = desktop
    ? [
        { key: 'at', title: t('admin.audit.at'), width: 170, render: (_, e) => formatWhen(e.at, locale) },
        { key: 'action', title: t('admin.audit.action'), render: (_, e) => <ActionText action={e.action} /> },
        { key: 'actor', title: t('admin.audit.actor'), render: (_, e) => e.actor ?? t('admin.audit.system') },
        { key: 'target', title: t('admin.audit.target'), render: (_, e) => <span className="admin__break">{target(e)}</span> },
        { key: 'ip', title: t('admin.audit.ip'), width: 130, render: (_, e) => e.ip ?? '—' },
      ]
    : [
        {
          key: 'entry',
          render: (_, e) => (
            <div className="admin__who">
              <ActionText action={e.action} />
              <Typography.Text>{e.actor ?? t('admin.audit.system')}</Typography.Text>
              <Typography.Text type="secondary">{formatWhen(e.at, locale)}</Typography.Text>
            </div>
          ),
        },
      ];

  const exportUrl = buildUrl('/audit/export', { ...filters });
  return (
    <div data-testid="admin-audit">
      <Form
        form={form}
        layout={desktop ? 'inline' : 'vertical'}
        className="admin__filters"
        onFinish={(values) => setFilters(toQuery(values))}
      >
        <Form.Item name="action" label={t('admin.audit.action')}>
          <Input allowClear placeholder={t('admin.audit.actionPlaceholder')} data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="actor" label={t('admin.audit.actor')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ minWidth: 200 }}
            options={members.map((m) => ({ value: m.email, label: `${m.name} <${m.email}>` }))}
            data-testid="audit-actor"
          />
        </Form.Item>
        <Form.Item name="range" label={t('admin.audit.range')}>
          <DatePicker.RangePicker data-testid="audit-range" />
        </Form.Item>
        <Form.Item>
          <div className="admin__filter-buttons">
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-apply">
              {t('action.apply')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('action.reset')}
            </Button>
            <Button icon={<DownloadOutlined />} href={exportUrl} download="audit.csv" data-testid="audit-export">
              {t('admin.audit.export')}
            </Button>
          </div>
        </Form.Item>
      </Form>
      {pages.isError ? (
        <LoadError error={pages.error} onRetry={() => void pages.refetch()} />
      ) : pages.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.audit.empty')} />
      ) : (
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          pagination={false}
          showHeader={desktop}
          loading={pages.isFetching && !pages.isFetchingNextPage}
          expandable={{
            // the expand buttons' column: named for a screen reader, no word drawn over the buttons
            columnTitle: <span className="visually-hidden">{t('admin.audit.details')}</span>,
            expandedRowRender: (e) => (
              <div className="admin__entry">
                {!desktop && (
                  <div>
                    {t('admin.audit.target')}{t('admin.audit.colon')}<span className="admin__break">{target(e)}</span> · {t('admin.audit.ip')}{t('admin.audit.colon')}{e.ip ?? '—'}
                  </div>
                )}
                <Details value={e.details} />
                {e.request_id && <Typography.Text type="secondary">{t('admin.audit.requestId')}{t('admin.audit.colon')}{e.request_id}</Typography.Text>}
              </div>
            ),
          }}
          data-testid="audit-table"
        />
      )}
      {pages.hasNextPage && (
        <div className="list-more">
          <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="audit-more">
            {t('action.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
