/**
 * antd's message, notification and modal for the whole app, with antd's code for them loaded
 * when the first one is shown.
 *
 * antd's `<App>` gives its children `App.useApp()` (message, notification, modal bound to the
 * theme and language) by mounting the three hooks' holders: ~45 KB of script (Modal, the
 * notices, their motion) that every full page load parsed and ran in the shell's file, though a
 * first page shows none of it. `FeedbackProvider` provides the same context (antd's own, so
 * `App.useApp()` anywhere gets it) with stand-ins: the first call mounts the host (the real
 * `<App>`, in a chunk of its own) and is played to it once it is in; later calls go straight to
 * antd's instances. The wrapper element and its classes are the ones `<App>` draws (its
 * `ant-app` styles and the theme's CSS-variable class the page inherits).
 */
import { Suspense, useContext, useState, type ComponentType, type ReactNode } from 'react';
import AppContext, { type useAppProps } from 'antd/es/app/context';
import useAppStyle from 'antd/es/app/style';
import type { MessageType, TypeOpen } from 'antd/es/message/interface';
import type { ModalFuncProps } from 'antd/es/modal/interface';
import type { ModalFuncWithPromise } from 'antd/es/modal/useModal';
import type { ConfigUpdate } from 'antd/es/modal/confirm';
import type { ArgsProps as NotificationArgs } from 'antd/es/notification/interface';
import { classNames, useAntdClasses } from './antdClasses';

/** What `App.useApp()` answers, and `prepare`: start loading antd's code ahead of a call. */
export type Feedback = useAppProps & { prepare: () => void };

/** The lazily loaded host: mounts antd's holders and hands over their instances. */
export type FeedbackHost = ComponentType<{ onReady: (api: useAppProps) => void }>;

type Later = <R>(run: (api: useAppProps) => R) => Promise<{ value: R }>;

const MESSAGE_TYPES = ['info', 'success', 'error', 'warning', 'loading'] as const;
const MODAL_TYPES = ['info', 'success', 'error', 'warning', 'confirm'] as const;
const NOTIFICATION_TYPES = ['success', 'error', 'info', 'warning', 'open'] as const;

/** A message's close function and promise before the message is shown: both act once it is. */
function laterMessage(shown: Promise<{ value: MessageType }>): MessageType {
  const close = (() => void shown.then(({ value }) => value())) as MessageType;
  close.then = (onShown, onFailed) => shown.then(({ value }) => value).then(onShown, onFailed);
  return close;
}

/** A modal's handle before the modal is shown: destroy, update and its promise act once it is. */
function laterModal(shown: Promise<{ value: ReturnType<ModalFuncWithPromise> }>): ReturnType<ModalFuncWithPromise> {
  return {
    destroy: () => void shown.then(({ value }) => value.destroy()),
    update: (config: ConfigUpdate) => void shown.then(({ value }) => value.update(config)),
    then: (onClosed, onFailed) => shown.then(({ value }) => value.then(onClosed, onFailed)),
  };
}

/**
 * The stand-ins: each call goes to antd's instances once `ready` has handed them over, in the
 * order they were made; until then a call asks for the host (`wanted`) and waits.
 */
export function createFeedback(wanted: () => void): { api: Feedback; ready: (api: useAppProps) => void } {
  let real: useAppProps | undefined;
  let resolve!: (api: useAppProps) => void;
  const loaded = new Promise<useAppProps>((done) => (resolve = done));
  const later: Later = (run) => {
    wanted();
    return loaded.then((api) => ({ value: run(api) }));
  };

  const open = (type: (typeof MESSAGE_TYPES)[number]): TypeOpen => (...args) =>
    real ? real.message[type](...args) : laterMessage(later((api) => api.message[type](...args)));
  const message: useAppProps['message'] = {
    ...(Object.fromEntries(MESSAGE_TYPES.map((type) => [type, open(type)])) as Record<(typeof MESSAGE_TYPES)[number], TypeOpen>),
    open: (args) => (real ? real.message.open(args) : laterMessage(later((api) => api.message.open(args)))),
    destroy: (key) => (real ? real.message.destroy(key) : void later((api) => api.message.destroy(key))),
  };

  const show = (type: (typeof MODAL_TYPES)[number]): ModalFuncWithPromise => (props: ModalFuncProps) =>
    real ? real.modal[type](props) : laterModal(later((api) => api.modal[type](props)));
  const modal = Object.fromEntries(MODAL_TYPES.map((type) => [type, show(type)])) as useAppProps['modal'];

  const notify = (type: (typeof NOTIFICATION_TYPES)[number]) => (args: NotificationArgs) =>
    real ? real.notification[type](args) : void later((api) => api.notification[type](args));
  const notification: useAppProps['notification'] = {
    ...(Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, notify(type)])) as Record<
      (typeof NOTIFICATION_TYPES)[number],
      (args: NotificationArgs) => void
    >),
    destroy: (key) => (real ? real.notification.destroy(key) : void later((api) => api.notification.destroy(key))),
  };

  return {
    api: { message, modal, notification, prepare: wanted },
    ready: (api) => {
      real = api;
      resolve(api);
    },
  };
}

/**
 * Provides `App.useApp()` and `useFeedback()` to its children, inside antd's ConfigProvider (the
 * notices and modals take its theme and language). `host` is the lazy component that mounts
 * antd's `<App>` (app/FeedbackHost.tsx), rendered from the first call on.
 */
export function FeedbackProvider({ host: Host, children }: { host: FeedbackHost; children: ReactNode }) {
  const [wanted, setWanted] = useState(false);
  const [feedback] = useState(() => createFeedback(() => setWanted(true)));
  const { prefix, hashId, cssVarCls } = useAntdClasses('app', useAppStyle);
  return (
    <AppContext.Provider value={feedback.api}>
      <div className={classNames(hashId, prefix, cssVarCls)}>
        {wanted && (
          <Suspense fallback={null}>
            <Host onReady={feedback.ready} />
          </Suspense>
        )}
        {children}
      </div>
    </AppContext.Provider>
  );
}

/**
 * message, notification and modal, as `App.useApp()` gives them, without importing antd's `App`
 * (which brings antd's code for all three into the importer's chunk); `prepare()` starts
 * loading it, e.g. when an action that ends with a notice starts.
 */
export function useFeedback(): Feedback {
  return useContext(AppContext) as Feedback;
}
