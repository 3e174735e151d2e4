import { useEffect, useRef } from 'react';
import { App } from 'antd';
import { useBlocker } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';

/**
 * Asks before leaving a form with unsaved changes: in-app navigation gets a dialog, closing or
 * reloading the tab gets the browser's own prompt. `release()` lets a save navigate away freely.
 * `onLeave` runs when the user confirms leaving (their changes are given up: e.g. drop the draft).
 */
export function useUnsavedGuard(dirty: boolean, onLeave?: () => void) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const onLeaveRef = useRef(onLeave);
  onLeaveRef.current = onLeave;

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirtyRef.current && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t('form.unsavedTitle'),
      content: t('form.unsavedBody'),
      okText: t('form.leave'),
      okButtonProps: { danger: true },
      cancelText: t('form.stay'),
      onOk: () => {
        onLeaveRef.current?.();
        blocker.proceed();
      },
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal, t]);

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  return {
    release: () => {
      dirtyRef.current = false;
    },
  };
}
