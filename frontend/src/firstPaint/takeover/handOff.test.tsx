import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureFirstPaint, type CaptureWindow } from './capture';
import { useFirstPaintHandOff, type RouterView } from './handOff';

const win = window as CaptureWindow;

/** A router as the hand-off sees it: where the app is, and a way to move it. */
function fakeRouter(pathname: string) {
  const listeners = new Set<(state: RouterView['state']) => void>();
  const router = {
    state: { location: { pathname } },
    subscribe: (listener: (state: RouterView['state']) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    go(next: string) {
      router.state = { location: { pathname: next } };
      for (const listener of listeners) listener(router.state);
    },
  };
  return router;
}

/** Root's hand-off over whatever the app shows (`page`), rendered into #root as main.tsx does. */
function App({ router, page }: { router: RouterView; page: string }) {
  useFirstPaintHandOff(router);
  if (page === 'spinner') return <div className="ant-spin" />;
  if (page === 'error') return <div className="ant-result ant-result-404">Not found</div>;
  return <form className="login">Sign in</form>;
}

function serve(firstPaint: boolean) {
  document.body.innerHTML = firstPaint
    ? '<div id="first-paint" data-first-paint="crm/customer/r1"><input id="fp-name" value="Acme"></div><div id="root" data-first-paint=""></div>'
    : '<div id="root"></div>';
  captureFirstPaint(win);
  return document.getElementById('root')!;
}

let ready = 0;
const countReady = () => (ready += 1);

beforeEach(() => {
  ready = 0;
  delete document.documentElement.dataset.app;
  document.documentElement.lang = 'zh-CN';
  window.addEventListener('tessera:ready', countReady);
  localStorage.clear();
  document.cookie = 'tessera_locale=; path=/; max-age=0';
});

afterEach(() => {
  window.removeEventListener('tessera:ready', countReady);
  win.__tesseraFirstPaint?.stop();
  delete win.__tesseraFirstPaint;
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('the app hands a first paint over', () => {
  it('with no first paint, says it is ready at its first commit and changes nothing else', () => {
    const root = serve(false);
    render(<App router={fakeRouter('/apps/crm/forms/customer')} page="spinner" />, { container: root });
    expect(document.documentElement.dataset.app).toBe('ready');
    expect(ready).toBe(1);
    expect(root.attributes).toHaveLength(1);
    expect(document.body.children).toHaveLength(1);
    expect(document.cookie).toBe('');
  });

  it('keeps the first paint while the app is still loading the form', () => {
    const root = serve(true);
    render(<App router={fakeRouter('/apps/crm/forms/customer/records/r1/edit')} page="spinner" />, { container: root });
    expect(document.getElementById('first-paint')).toBeInTheDocument();
    expect(root).toHaveAttribute('data-first-paint');
    expect(document.documentElement.dataset.app).toBeUndefined();
  });

  it('drops it for an error page (a missing record) as that page is committed', async () => {
    const root = serve(true);
    const router = fakeRouter('/apps/crm/forms/customer/records/r1/edit');
    const { rerender } = render(<App router={router} page="spinner" />, { container: root });
    rerender(<App router={router} page="error" />);
    // the mutation observer's notice comes as a microtask after the commit
    await act(async () => undefined);
    expect(document.getElementById('first-paint')).toBeNull();
    expect(root).not.toHaveAttribute('data-first-paint');
    expect(document.documentElement.dataset.app).toBe('ready');
    expect(ready).toBe(1);
  });

  it('drops it once the app has gone elsewhere (to sign in) and shows that page', async () => {
    const root = serve(true);
    const router = fakeRouter('/apps/crm/forms/customer/new');
    const { rerender } = render(<App router={router} page="spinner" />, { container: root });
    act(() => router.go('/login'));
    await act(async () => undefined);
    // still there until the sign-in page is drawn, so nothing flashes
    expect(document.getElementById('first-paint')).toBeInTheDocument();
    rerender(<App router={router} page="login" />);
    await act(async () => undefined);
    expect(document.getElementById('first-paint')).toBeNull();
    expect(document.documentElement.dataset.app).toBe('ready');
  });

  it('drops it at once on a page the server does not draw', () => {
    const root = serve(true);
    render(<App router={fakeRouter('/apps/crm/forms/customer')} page="spinner" />, { container: root });
    expect(document.getElementById('first-paint')).toBeNull();
    expect(ready).toBe(1);
  });

  it("writes the picked language into the server's cookie when the first paint was drawn in another", () => {
    localStorage.setItem('tessera.locale', 'en');
    const root = serve(true);
    render(<App router={fakeRouter('/apps/crm/forms/customer/new')} page="spinner" />, { container: root });
    expect(document.cookie).toBe('tessera_locale=en');
  });
});
