import type { ReactNode } from 'react';
import { Typography } from 'antd';

/** A card title for something with a display name and a stable key (a role, an app), plus tags. */
export function KeyedTitle({ name, itemKey, children }: { name: string; itemKey: string; children?: ReactNode }) {
  return (
    <span className="admin__dept">
      {name} <Typography.Text type="secondary" className="admin__dept-key">{itemKey}</Typography.Text>
      {children}
    </span>
  );
}
