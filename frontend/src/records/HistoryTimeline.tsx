import { Empty, Skeleton, Timeline, Typography } from 'antd';
import type { FormDef, HistoryEntry } from '../api/types';
import { useRecordHistory } from '../api/queries';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { formatWhen } from '../lib/dates';
import { LoadError } from '../shell/LoadError';

const ACTION_COLOR: Record<HistoryEntry['action'], string> = { create: 'green', update: 'blue', delete: 'red', restore: 'gray' };

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

/** Who changed what and when, newest first, with each field's old and new value. */
export function HistoryTimeline({ app, form, id }: { app: string; form: FormDef; id: string }) {
  const { t, locale } = useI18n();
  const history = useRecordHistory(app, form.key, id);
  if (history.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (history.isError) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.empty')} />;
  const entries = [...history.data].sort((a, b) => b.version - a.version);
  return (
    <Timeline
      className="history"
      items={entries.map((entry) => {
        const changes = Object.entries(entry.changes ?? {});
        const what = entry.action === 'update' ? t('history.update', { count: changes.length }) : t(`history.${entry.action}`);
        return {
          key: `${entry.version}-${entry.at}`,
          color: ACTION_COLOR[entry.action],
          content: (
            <div data-testid={`history-v${entry.version}`}>
              <Typography.Text strong>{entry.actor?.name ?? t('record.someone')}</Typography.Text> {what}
              <Typography.Text type="secondary" className="history-when">
                {formatWhen(entry.at, locale)}
              </Typography.Text>
              {entry.action === 'update' && changes.map(([key, change]) => <FieldChange key={key} form={form} field={key} change={change} />)}
            </div>
          ),
        };
      })}
    />
  );
}
