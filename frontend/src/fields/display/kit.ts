/**
 * What the cells drawn through one `useDisplay` share, worked out once by it rather than by a
 * component per cell: antd Tag's theme classes (an option is drawn in Tag's markup, see
 * choice.tsx) and, when the caller can navigate, what a relation cell needs to be a plain link
 * (relation.tsx). A list page draws fifty rows at once: a component per cell with its own hooks
 * (Tag's colour, style and semantic hooks; react-router's Link, ~4 hooks and a layout effect)
 * was a good part of a full load's render. Callers that build their own DisplayContext pass no
 * kit and get the components, as before.
 */
import { useMemo } from 'react';
import useTagStyle from 'antd/es/tag/style';
import type { NavigateFunction } from 'react-router';
import { useAntdClasses } from '../../lib/antdClasses';
import type { DisplayContext } from '../registry';

export interface CellKit {
  /** antd's Tag class prefix ('ant-tag') */
  tagPrefix: string;
  /** the classes antd's Tag adds for the theme (its hash and CSS variables) */
  tagTheme: string;
  /** the app in the URL and the router's navigate, for relation links (absent: Link components) */
  links?: CellLinks;
}

export interface CellLinks {
  app: string;
  navigate: NavigateFunction;
}

/** A DisplayContext carrying a kit (DisplayContext itself is the registry's). */
export type KitContext = DisplayContext & { kit?: CellKit };

export const kitOf = (ctx: DisplayContext): CellKit | undefined => (ctx as KitContext).kit;

/** The kit of one table, card list or page: Tag's style hook once (it writes Tag's CSS variables). */
export function useCellKit(links?: CellLinks): CellKit {
  const { prefix, hashId, cssVarCls } = useAntdClasses('tag', useTagStyle);
  const app = links?.app;
  const navigate = links?.navigate;
  return useMemo(
    () => ({ tagPrefix: prefix, tagTheme: `${hashId} ${cssVarCls}`, links: app && navigate ? { app, navigate } : undefined }),
    [prefix, hashId, cssVarCls, app, navigate],
  );
}
