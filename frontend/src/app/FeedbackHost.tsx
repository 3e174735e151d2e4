/**
 * antd's `<App>` for lib/feedback's stand-ins, in a chunk of its own: mounts the holders of
 * message, notification and modal (inside the page's ConfigProvider: theme and language) and
 * hands their instances over. Its element is lib/feedback's (`component={false}`).
 */
import { useLayoutEffect } from 'react';
import { App } from 'antd';
import type { useAppProps } from 'antd/es/app/context';

function HandOver({ onReady }: { onReady: (api: useAppProps) => void }) {
  const api = App.useApp();
  useLayoutEffect(() => onReady(api), [api, onReady]);
  return null;
}

export default function FeedbackHost({ onReady }: { onReady: (api: useAppProps) => void }) {
  return (
    <App component={false}>
      <HandOver onReady={onReady} />
    </App>
  );
}
