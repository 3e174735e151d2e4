import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { keys, recordsApi } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { showUndo } from '../lib/undoMessage';
import { useFeedback } from '../lib/feedback';

export interface DeleteOptions {
  /** called once the records are in the recycle bin */
  onDeleted?: () => void;
  /** where to go once the records are in the recycle bin */
  thenGoTo?: string;
  /** where to go once "Undo" brought them back */
  undoGoesTo?: string;
}

export type DeleteRecords = (form: string, ids: string[], options?: DeleteOptions) => Promise<void>;

/**
 * Deletes records (they go to the recycle bin) and offers "Undo" for a few seconds, which
 * restores them. Nothing to confirm beforehand: the undo is the safety net.
 * Used once per app (AppLayout), so navigating after an undo works whichever page is open.
 */
export function useDeleteWithUndo(app: string): DeleteRecords {
  const { t } = useI18n();
  const { message, prepare } = useFeedback();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const refresh = useCallback(
    (form: string) => queryClient.invalidateQueries({ queryKey: keys.records(app, form) }),
    [app, queryClient],
  );

  const restore = useCallback(
    async (form: string, ids: string[], options: DeleteOptions) => {
      const results = await Promise.allSettled(ids.map((id) => recordsApi.restore(app, form, id)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      await refresh(form);
      if (failed) message.error(errorMessage(failed.reason, t));
      else message.success(t('list.restored', { count: ids.length }));
      if (options.undoGoesTo) void navigate(options.undoGoesTo);
    },
    [app, message, navigate, refresh, t],
  );

  return useCallback(
    async (form: string, ids: string[], options: DeleteOptions = {}) => {
      // the notice's code loads while the records are deleted
      prepare();
      const results = await Promise.allSettled(ids.map((id) => recordsApi.remove(app, form, id)));
      const deleted = ids.filter((_, i) => results[i].status === 'fulfilled');
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const id of deleted) queryClient.removeQueries({ queryKey: keys.record(app, form, id) });
      await refresh(form);
      if (failed) message.error(t('list.deleteFailed', { reason: errorMessage(failed.reason, t) }));
      if (deleted.length === 0) return;
      options.onDeleted?.();
      if (options.thenGoTo) void navigate(options.thenGoTo);
      showUndo(message, {
        key: `deleted-${Date.now()}`,
        text: t('list.deleted', { count: deleted.length }),
        undoLabel: t('action.undo'),
        testId: 'undo-delete',
        onUndo: () => restore(form, deleted, options),
      });
    },
    [app, message, navigate, prepare, queryClient, refresh, restore, t],
  );
}
