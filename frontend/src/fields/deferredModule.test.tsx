import { Component, Suspense, type ReactNode } from 'react';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { deferredModule } from './lazy';

/** A module whose load the test settles by hand. */
function controlled() {
  const settle: { resolve?: (value: { Greeting: () => string }) => void; reject?: (error: Error) => void } = {};
  const load = vi.fn(
    () =>
      new Promise<{ Greeting: () => string }>((resolve, reject) => {
        settle.resolve = resolve;
        settle.reject = reject;
      }),
  );
  return { settle, load, deferred: deferredModule(load) };
}

/** A control that uses the module (renders its greeting). */
function user(deferred: ReturnType<typeof controlled>['deferred']) {
  return function Uses() {
    const { Greeting } = deferred.useModule();
    return <p>{Greeting()}</p>;
  };
}

describe('deferredModule', () => {
  it('shows the fallback until the module has come, then the control; fetches it once', async () => {
    const { settle, load, deferred } = controlled();
    const Uses = user(deferred);
    await act(async () => {
      render(
        <Suspense fallback={<p>drawn</p>}>
          <Uses />
          <Uses />
        </Suspense>,
      );
    });
    expect(screen.getByText('drawn')).toBeInTheDocument();
    await act(async () => settle.resolve?.({ Greeting: () => 'real' }));
    expect(await screen.findAllByText('real')).toHaveLength(2);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('preloads in an idle moment after the first editor is drawn, once for all editors', async () => {
    vi.useFakeTimers();
    try {
      const { settle, load, deferred } = controlled();
      function Editor() {
        deferred.usePreload();
        return <p>editor</p>;
      }
      render(
        <>
          <Editor />
          <Editor />
        </>,
      );
      expect(load).not.toHaveBeenCalled();
      await act(async () => vi.advanceTimersByTime(2500));
      expect(load).toHaveBeenCalledTimes(1);
      settle.resolve?.({ Greeting: () => 'real' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failed preload is forgotten: the first use fetches again', async () => {
    vi.useFakeTimers();
    const { settle, load, deferred } = controlled();
    function Editor() {
      deferred.usePreload();
      return <p>editor</p>;
    }
    render(<Editor />);
    await act(async () => vi.advanceTimersByTime(2500));
    await act(async () => settle.reject?.(new Error('offline')));
    vi.useRealTimers();
    const Uses = user(deferred);
    await act(async () => {
      render(
        <Suspense fallback={<p>drawn</p>}>
          <Uses />
        </Suspense>,
      );
    });
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => settle.resolve?.({ Greeting: () => 'real' }));
    expect(await screen.findByText('real')).toBeInTheDocument();
  });

  it('a failed fetch for a use is the error boundary’s to show, fetched no more', async () => {
    const { settle, load, deferred } = controlled();
    const Uses = user(deferred);
    await act(async () => {
      render(
        <Caught>
          <Suspense fallback={<p>drawn</p>}>
            <Uses />
          </Suspense>
        </Caught>,
      );
    });
    await act(async () => settle.reject?.(new Error('offline')));
    expect(await screen.findByText('failed: offline')).toBeInTheDocument();
    expect(load).toHaveBeenCalledTimes(1);
  });
});

/** Shows what a child threw (the route's error boundary does this in the app). */
class Caught extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    return this.state.error ? <p>failed: {this.state.error.message}</p> : this.props.children;
  }
}
