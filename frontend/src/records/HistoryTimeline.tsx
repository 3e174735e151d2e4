import { memo } from 'react';
import { RollbackOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Popconfirm, Skeleton, Timeline, Typography } from 'antd';
import { api } from '../api/client';
import { isApiError } from '../api/errors';
import { keys, recordPath, useRecordHistory } from '../api/queries';
import type { FormDef, HistoryEntry, RecordData } from '../api/types';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { formatWhen } from '../lib/dates';
import { errorMessage } from '../lib/errorMessage';
import { LoadError } from '../shell/LoadError';

const ACTION_COLOR: Record<HistoryEntry['action'], string> = {
  create: 'green',
  update: 'blue',
  delete: 'red',
  restore: 'gray',
  revert: 'orange',
  purge: 'red',
};

/** Entries whose stored state can be written back: not the removal of the record. */
const RESTORABLE = new Set<HistoryEntry['action']>(['create', 'update', 'restore', 'revert']);

function FieldChange({ form, field: key, change }: { form: FormDef; field: string; change: { old: unknown; new: unknown } }) {
  const { t, text } = useI18n();
  const display = useDisplay({ compact: true });
  const field = form.fields.find((f) => f.key === key);
  const show = (value: unknown) => {
    const shown = field ? display(field, value) : value == null ? '' : String(value);
    return shown === '' || shown == null ? <span className="muted">{t('value.empty')}</span> : shown;
  };
  return (
    <div className="history-change">
      <Typography.Text type="secondary">{field ? text(field.label) : key}</Typography.Text>
      <span className="history-change__old">{show(change.old)}</span>
      <span className="history-change__arrow">→</span>
      <span className="history-change__new">{show(change.new)}</span>
    </div>
  );
}

/**
 * "Restore this version": writes the fields as they were after that change back as a new
 * version, carrying the version the user saw so a save by someone else in between is not lost.
 */
function RestoreButton({ app, form, id, version, current }: { app: string; form: string; id: string; version: number; current: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.history(app, form, id) });
    void queryClient.invalidateQueries({ queryKey: keys.records(app, form) });
  };
  const restore = async () => {
    try {
      const saved = await api.post<RecordData>(`${recordPath(app, form, id)}/history/${version}/restore`, { _version: current });
      queryClient.setQueryData(keys.record(app, form, id), saved);
      message.success(t('history.restored', { version }));
      refresh();
    } catch (error) {
      if (isApiError(error) && error.code === 'version_conflict') {
        message.warning(t('history.restoreConflict'));
        refresh();
      } else if (isApiError(error) && error.errors.length > 0) {
        message.error(t('history.restoreInvalid', { reason: error.errors.map((e) => e.message).join('; ') }));
      } else {
        message.error(errorMessage(error, t));
      }
    }
  };
  return (
    <Popconfirm
      title={t('history.restoreTitle', { version })}
      description={t('history.restoreBody')}
      okText={t('history.restoreOk')}
      cancelText={t('action.cancel')}
      onConfirm={restore}
    >
      <Button type="link" size="small" icon={<RollbackOutlined />} className="history-restore" data-testid={`history-restore-v${version}`}>
        {t('history.restoreAction')}
      </Button>
    </Popconfirm>
  );
}

interface HistoryTimelineProps {
  app: string;
  form: FormDef;
  id: string;
  /** the record's current `_version`; with it (and `canRestore`) older versions can be restored */
  current?: number;
  canRestore?: boolean;
}

/** Who changed what and when, newest first, with each field's old and new value. */
/** Memoised: the record page re-renders as a navigation away from it starts (Edit), and the timeline need not. */
export const HistoryTimeline = memo(function HistoryTimeline({ app, form, id, current, canRestore = false }: HistoryTimelineProps) {
  const { t, locale } = useI18n();
  const history = useRecordHistory(app, form.key, id);
  if (history.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (history.isError) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.empty')} />;
  const entries = [...history.data].sort((a, b) => b.version - a.version);
  const latest = entries[0].version;
  return (
    <Timeline
      className="history"
      items={entries.map((entry) => {
        const changes = Object.entries(entry.changes ?? {});
        const withChanges = entry.action === 'update' || entry.action === 'revert';
        const what = entry.action === 'update' ? t('history.update', { count: changes.length }) : t(`history.${entry.action}`);
        const restorable = canRestore && current !== undefined && entry.version !== latest && RESTORABLE.has(entry.action);
        return {
          key: `${entry.version}-${entry.at}`,
          color: ACTION_COLOR[entry.action] ?? 'gray',
          content: (
            <div data-testid={`history-v${entry.version}`}>
              <Typography.Text strong>{entry.actor?.name ?? t('record.someone')}</Typography.Text> {what}
              <Typography.Text type="secondary" className="history-when">
                {t('history.version', { version: entry.version })} · {formatWhen(entry.at, locale)}
              </Typography.Text>
              {withChanges && changes.map(([key, change]) => <FieldChange key={key} form={form} field={key} change={change} />)}
              {restorable && <RestoreButton app={app} form={form.key} id={id} version={entry.version} current={current} />}
            </div>
          ),
        };
      })}
    />
  );
});
