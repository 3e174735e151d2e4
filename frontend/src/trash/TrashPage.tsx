import { useState } from 'react';
import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { App, Button, Card, Empty, Grid, Input, List, Modal, Skeleton, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { api } from '../api/client';
import { isApiError } from '../api/errors';
import { keys, recordPath, recordsPath } from '../api/queries';
import type { FormDef, Page, RecordData } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { paths } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { LoadError } from '../shell/LoadError';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useCurrentForm } from '../shell/appContext';
import './trash.css';

type Trashed = RecordData & { _deleted_at?: string };

function PurgeDialog({ record, title, onCancel, onConfirm }: { record: Trashed | null; title: string; onCancel: () => void; onConfirm: () => Promise<void> }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const word = t('trash.purgeWord');
  return (
    <Modal
      open={record != null}
      title={t('trash.purgeTitle')}
      onCancel={() => {
        setTyped('');
        onCancel();
      }}
      okText={t('trash.purge')}
      okButtonProps={{ danger: true, disabled: typed !== word, loading: busy, 'data-testid': 'purge-confirm' } as never}
      onOk={async () => {
        setBusy(true);
        try {
          await onConfirm();
          setTyped('');
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Typography.Paragraph strong>{title}</Typography.Paragraph>
      <Typography.Paragraph>{t('trash.purgeBody', { word })}</Typography.Paragraph>
      <Input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={word} aria-label={word} data-testid="purge-word" autoFocus />
    </Modal>
  );
}

function Trash({ app, appName, form }: { app: string; appName: string; form: FormDef }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const desktop = Grid.useBreakpoint().md;
  const [purging, setPurging] = useState<Trashed | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const formName = text(form.name);
  useTitle(t('trash.title', { form: formName }), appName);

  const queryKey = [...keys.records(app, form.key), 'trash'];
  const pages = useInfiniteQuery({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Trashed>>(`${recordsPath(app, form.key)}/trash`, { limit: 50, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const records = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const titleOf = (r: Trashed) => {
    const value = form.title_field ? r[form.title_field] : undefined;
    return value == null || value === '' ? `${t('trash.record')} ${r._id.slice(-6)}` : String(value);
  };
  const fieldLabel = (key: string) => {
    const field = form.fields.find((f) => f.key === key);
    return field ? text(field.label) : key;
  };
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.records(app, form.key) });

  const restore = async (record: Trashed) => {
    setBusy(record._id);
    try {
      await api.post(`${recordPath(app, form.key, record._id)}/restore`);
      message.success(t('trash.restored'));
      await refresh();
    } catch (error) {
      if (isApiError(error) && error.code === 'duplicate_value') {
        const path = error.errors.find((e) => e.code === 'duplicate_value')?.path ?? error.errors[0]?.path ?? '';
        message.error({ content: t('trash.duplicate', { field: fieldLabel(path.replace(/^data\./, '')) }), duration: 8 });
      } else {
        message.error(errorMessage(error, t));
      }
    } finally {
      setBusy(null);
    }
  };

  const purge = async () => {
    if (!purging) return;
    try {
      await api.delete(`${recordPath(app, form.key, purging._id)}/purge`);
      message.success(t('trash.purged'));
      setPurging(null);
      await refresh();
    } catch (error) {
      message.error(errorMessage(error, t));
    }
  };

  const actions = (r: Trashed) => (
    <Space wrap>
      <Button icon={<UndoOutlined />} loading={busy === r._id} onClick={() => void restore(r)} data-testid="trash-restore">
        {t('trash.restore')}
      </Button>
      <Button danger icon={<DeleteOutlined />} onClick={() => setPurging(r)} data-testid="trash-purge">
        {t('trash.purge')}
      </Button>
    </Space>
  );
  const when = (r: Trashed) => (r._deleted_at ? dayjs(r._deleted_at).format('YYYY-MM-DD HH:mm') : '');

  return (
    <div className="page">
      <PageHeader title={t('trash.title', { form: formName })} onBack={() => void navigate(paths.list(app, form.key))} />
      <Card variant="borderless" className="list-card">
        {pages.isError ? (
          <LoadError error={pages.error} onRetry={() => void pages.refetch()} />
        ) : pages.isPending ? (
          <Skeleton active paragraph={{ rows: 4 }} />
        ) : records.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            data-testid="trash-empty"
            description={
              <>
                <Typography.Text strong>{t('trash.empty')}</Typography.Text>
                <br />
                <Typography.Text type="secondary">{t('trash.emptyBody')}</Typography.Text>
              </>
            }
          />
        ) : desktop ? (
          <Table
            rowKey="_id"
            dataSource={records}
            pagination={false}
            data-testid="trash-table"
            columns={[
              { title: form.title_field ? fieldLabel(form.title_field) : t('trash.record'), key: 'title', render: (_: unknown, r: Trashed) => titleOf(r) },
              { title: t('trash.deletedAt'), key: 'deleted', render: (_: unknown, r: Trashed) => when(r) },
              { title: '', key: 'actions', align: 'right' as const, render: (_: unknown, r: Trashed) => actions(r) },
            ]}
          />
        ) : (
          <List
            dataSource={records}
            data-testid="trash-table"
            renderItem={(r) => (
              <List.Item className="trash-item">
                <div className="trash-item__title">{titleOf(r)}</div>
                <Typography.Text type="secondary">
                  {t('trash.deletedAt')} {when(r)}
                </Typography.Text>
                {actions(r)}
              </List.Item>
            )}
          />
        )}
        {pages.hasNextPage && (
          <div className="list-more">
            <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
              {t('action.loadMore')}
            </Button>
          </div>
        )}
      </Card>
      <PurgeDialog record={purging} title={purging ? titleOf(purging) : ''} onCancel={() => setPurging(null)} onConfirm={purge} />
    </div>
  );
}

/** A form's recycle bin: restore or delete for good. */
export default function TrashPage() {
  const { t, text } = useI18n();
  const { app, form } = useCurrentForm();
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  return <Trash key={`${app.key}/${form.key}`} app={app.key} appName={text(app.name)} form={form} />;
}
