import { useCallback, useSyncExternalStore } from 'react';
import { theme } from 'antd';

/**
 * Whether the window is at least antd's `md` breakpoint wide (the side bar layout), read from
 * one media query. Unlike `Grid.useBreakpoint` (six queries, and `{}` on the first render) it is
 * right on the first render, so a full page load draws the desktop shell once, not the phone
 * shell and then the desktop one.
 */
export function useDesktop(): boolean {
  const query = `(min-width: ${theme.useToken().token.screenMD}px)`;
  const subscribe = useCallback(
    (changed: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    [query],
  );
  const read = () => window.matchMedia(query).matches;
  // the server snapshot is the same reading: the build's first-paint renderer (ADR 0009) runs
  // under jsdom, whose matchMedia it sets to draw the desktop and the phone layout in turn
  return useSyncExternalStore(subscribe, read, read);
}
