import { useEffect } from 'react';

/** The browser tab's title: the page, then where it is, then the product ("客户 · 客户管理 · Tessera"). */
export function useTitle(...parts: (string | undefined | null)[]): void {
  const title = [...parts.filter((part): part is string => Boolean(part)), 'Tessera'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
