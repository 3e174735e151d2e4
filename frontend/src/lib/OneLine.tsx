import type { ReactNode } from 'react';
import { classNames } from './antdClasses';

/**
 * antd's `<Typography.Text strong ellipsis>` markup, one line of bold text cut with "…" by
 * antd.css. Drawn rather than mounted where many are drawn at once or on every full load (the
 * shell's titles, the phone cards' titles): Typography measures its text after mounting to tell
 * whether it was cut (a forced layout of the page), with a resize observer each; nothing here
 * needs to know. `className`: the theme's classes (lib/antdClasses) and any of the caller's.
 */
export function OneLine({ className, children }: { className: string; children: ReactNode }) {
  return (
    <span className={classNames('ant-typography ant-typography-ellipsis ant-typography-ellipsis-single-line', className)}>
      <strong>{children}</strong>
    </span>
  );
}
