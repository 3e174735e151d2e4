import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { isApiError } from '../api/errors';
import { keys, recordsApi } from '../api/queries';
import type { RecordData } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { withoutRecord, withRecordFirst, type KanbanColumn } from './kanbanModel';

interface Options {
  app: string;
  form: string;
  /** the select field the lanes are values of */
  group: string;
  lanes: KanbanColumn[];
  /** each lane's filter (JSON text), the key of its cached pages and count */
  filters: Map<string, string>;
  sort: string;
  onBusy?: (busy: boolean) => void;
}

type Count = { count: number; exact: boolean } | undefined;

/**
 * Moving a card to another lane: the cached lanes and counts change at once, the record is
 * saved with its `_version`, and on any refusal the cache goes back to what it was (a 409 says
 * someone else saved first). Every lane is refetched afterwards either way.
 */
export function useCardMove({ app, form, group, lanes, filters, sort, onBusy }: Options) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();

  return async (record: RecordData, to: KanbanColumn) => {
    const fromValue = (record[group] as string | null | undefined) || null;
    if (fromValue === to.value) return;
    const from = lanes.find((lane) => lane.value === fromValue) ?? lanes[lanes.length - 1];
    const fromKey = keys.recordList(app, form, filters.get(from.id) ?? '', sort);
    const toKey = keys.recordList(app, form, filters.get(to.id) ?? '', sort);
    const fromCount = keys.recordCount(app, form, filters.get(from.id) ?? '');
    const toCount = keys.recordCount(app, form, filters.get(to.id) ?? '');
    const touched = [fromKey, toKey, fromCount, toCount];
    await Promise.all(touched.map((queryKey) => queryClient.cancelQueries({ queryKey })));
    const before = touched.map((queryKey) => [queryKey, queryClient.getQueryData(queryKey)] as const);
    const bump = (delta: number) => (old: Count) => (old ? { ...old, count: Math.max(0, old.count + delta) } : old);
    queryClient.setQueryData(fromKey, (old: Parameters<typeof withoutRecord>[0]) => withoutRecord(old, record._id));
    queryClient.setQueryData(toKey, (old: Parameters<typeof withRecordFirst>[0]) => withRecordFirst(old, { ...record, [group]: to.value }));
    queryClient.setQueryData(fromCount, bump(-1));
    queryClient.setQueryData(toCount, bump(1));
    onBusy?.(true);
    try {
      await recordsApi.update(app, form, record._id, { [group]: to.value }, record._version);
      message.success(t('views.moved', { column: to.label }));
    } catch (error) {
      for (const [queryKey, data] of before) queryClient.setQueryData(queryKey, data);
      message.error(isApiError(error) && error.status === 409 ? t('views.conflict') : errorMessage(error, t));
    } finally {
      onBusy?.(false);
      void queryClient.invalidateQueries({ queryKey: keys.records(app, form) });
    }
  };
}
