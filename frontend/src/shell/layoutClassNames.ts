import { useMemo } from 'react';
import useLayoutStyle from 'antd/es/layout/style';
import useSiderStyle from 'antd/es/layout/style/sider';
import { classNames as join, useAntdClasses } from '../lib/antdClasses';

/**
 * The class names antd's Layout, Layout.Header, Layout.Sider, Layout.Content and a one-line
 * Typography.Text put on their elements (the theme's hash and CSS-variable classes are the same for
 * every antd component). The shell draws those elements itself (a full page load renders the shell before
 * any page, and the Layout's sider bookkeeping re-renders it once more); the style hooks register
 * the Layout's CSS variables of our theme, which antd's zero-runtime stylesheet reads.
 */
export interface LayoutClassNames {
  workspace: string;
  header: string;
  layout: string;
  withSider: string;
  sider: string;
  content: string;
  /** a one-line bold text (lib/OneLine, `<Typography.Text strong ellipsis>`): its theme classes */
  oneLine: string;
  /** the app's name above its forms */
  title: string;
}

export function useLayoutClassNames(): LayoutClassNames {
  const { prefix: layout, hashId: layoutHash, cssVarCls: layoutVars } = useAntdClasses('layout', useLayoutStyle);
  const { prefix: sider, hashId: siderHash, cssVarCls: siderVars } = useAntdClasses('layout-sider', useSiderStyle);
  return useMemo(() => {
    return {
      workspace: join(layout, 'workspace', layoutHash, layoutVars),
      header: join(`${layout}-header`, 'topbar', layoutHash, layoutVars),
      layout: join(layout, 'app-layout', layoutHash, layoutVars),
      withSider: join(layout, `${layout}-has-sider`, 'app-layout', layoutHash, layoutVars),
      sider: join(sider, `${sider}-light`, 'app-nav', siderHash, siderVars),
      content: join(`${layout}-content`, 'app-content', layoutHash, layoutVars),
      oneLine: join(layoutHash, layoutVars),
      title: join('app-nav__title', layoutHash, layoutVars),
    };
  }, [layout, sider, layoutHash, layoutVars, siderHash, siderVars]);
}

