import type { ReactNode } from 'react';
import { Button } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface';

/** How long a "… deleted — Undo" notice stays: long enough to notice, short enough to forget. */
export const UNDO_SECONDS = 8;

/**
 * The notice after a deletion the user may regret: what happened, and an Undo button that
 * closes the notice and runs `onUndo`. The deletion is the action; this is its safety net.
 */
export function showUndo(
  message: MessageInstance,
  { key, text, undoLabel, testId, onUndo }: { key: string; text: ReactNode; undoLabel: string; testId: string; onUndo: () => Promise<void> | void },
): void {
  message.open({
    key,
    type: 'success',
    duration: UNDO_SECONDS,
    content: (
      <span className="undo-message">
        {text}
        <Button
          type="link"
          size="small"
          data-testid={testId}
          onClick={() => {
            message.destroy(key);
            void onUndo();
          }}
        >
          {undoLabel}
        </Button>
      </span>
    ),
  });
}
