import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { keys, recordsApi } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';

const UNDO_SECONDS = 6;

interface Batch {
  ids: string[];
  timer: number;
}

/**
 * Deleting from a list with "Undo": rows disappear at once, the DELETE requests go out only when
 * the undo message has gone (or the page is left). Undo simply cancels them, so it works without
 * a restore endpoint.
 */
export function useDeferredDelete(app: string, form: string) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const batches = useRef(new Map<string, Batch>());

  const commit = useCallback(
    async (key: string) => {
      const batch = batches.current.get(key);
      if (!batch) return;
      batches.current.delete(key);
      window.clearTimeout(batch.timer);
      message.destroy(key);
      const results = await Promise.allSettled(batch.ids.map((id) => recordsApi.remove(app, form, id)));
      if (results.some((r) => r.status === 'rejected')) message.error(t('list.deleteFailed'));
      await queryClient.invalidateQueries({ queryKey: keys.records(app, form) });
      setHidden((all) => new Set([...all].filter((id) => !batch.ids.includes(id))));
    },
    [app, form, message, queryClient, t],
  );

  const undo = useCallback(
    (key: string) => {
      const batch = batches.current.get(key);
      if (!batch) return;
      batches.current.delete(key);
      window.clearTimeout(batch.timer);
      message.destroy(key);
      setHidden((all) => new Set([...all].filter((id) => !batch.ids.includes(id))));
    },
    [message],
  );

  const remove = useCallback(
    (ids: string[]) => {
      const key = `delete-${Date.now()}`;
      const timer = window.setTimeout(() => void commit(key), UNDO_SECONDS * 1000);
      batches.current.set(key, { ids, timer });
      setHidden((all) => new Set([...all, ...ids]));
      message.open({
        key,
        type: 'success',
        duration: UNDO_SECONDS,
        content: (
          <span className="undo-message">
            {t('list.deleted', { count: ids.length })}
            <Button type="link" size="small" onClick={() => undo(key)} data-testid="undo-delete">
              {t('action.undo')}
            </Button>
          </span>
        ),
      });
    },
    [commit, message, t, undo],
  );

  // Leaving the page accepts the deletion: send what is still pending.
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    const pending = batches.current;
    return () => {
      for (const key of [...pending.keys()]) void commitRef.current(key);
    };
  }, []);

  return { hidden, remove };
}
