import { startTransition, useEffect, useState } from 'react';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { prefetchBootQueries } from '../api/bootQueries';
import { hasFirstPaint, useFirstPaintHandOff } from '../firstPaint/takeover/handOff';
import { I18nProvider } from '../i18n/I18nProvider';
import { AntdProvider } from './AntdProvider';
import { createQueryClient } from './queryClient';
import { createAppRouter } from './router';

/**
 * Hands the API reads index.html's boot script started to the query cache, once, as the first
 * render starts (inside I18nProvider: the API client speaks the UI's language by then). Done
 * while rendering, not in an effect: the bodies are read while the rest of the shell renders.
 * Starting a query that has started already does nothing, so a second call would be harmless.
 */
function BootQueries() {
  const client = useQueryClient();
  useState(() => prefetchBootQueries(client));
  return null;
}

export type AppRouter = ReturnType<typeof createAppRouter>;

/**
 * Whether the router has loaded the first page's code (a lazy route) and can show it. Until
 * then RouterProvider would draw nothing anyway; mounted only then, it draws the page from the
 * router's state in one render. Mounted earlier, it would get the page as a router update, which
 * React renders as a transition: in 5 ms slices with the browser's tasks between them (a cold
 * load's page took ~140 ms that way, against ~95 ms in one go). Later navigations are the
 * router's, as transitions, as before.
 */
function useRouterReady(router: AppRouter): boolean {
  const [ready, setReady] = useState(router.state.initialized);
  useEffect(() => {
    if (ready) return undefined;
    // set from the router's callback: a default update, which React renders in one go and
    // paints before running the page's effects (an external store's update would run them first)
    const stop = router.subscribe((state) => {
      if (!state.initialized) return;
      // under a server-drawn page, in slices as main.tsx's first render (input goes first)
      if (hasFirstPaint()) startTransition(() => setReady(true));
      else setReady(true);
    });
    if (router.state.initialized) setReady(true);
    return stop;
  }, [router, ready]);
  return ready;
}

/**
 * The app. `router`: one created ahead (main.tsx creates it before waiting for the language's
 * chunk: creating it starts loading the page's lazy route, which then overlaps that wait).
 */
export function Root({ router: early }: { router?: AppRouter }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => early ?? createAppRouter());
  const ready = useRouterReady(router);
  // a server-drawn first paint (ADR 0009): handed over here unless the record form takes it
  useFirstPaintHandOff(router);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <BootQueries />
        <AntdProvider>
          {ready && <RouterProvider router={router} />}
        </AntdProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
