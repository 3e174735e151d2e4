/**
 * antd's theme classes for markup we draw ourselves. The list, the phone cards and the shell
 * draw antd's markup directly instead of mounting antd's components (each mounts many hooks and
 * components of its own); the prebuilt antd.css dresses that markup, but only under the classes a
 * component's style hook answers (its hash and CSS-variable classes), and the hook is also what
 * registers the component's CSS variables of our theme. One place asks the hook, the same way
 * the component itself would.
 */
import { useContext } from 'react';
import { ConfigProvider } from 'antd';
// a plain function despite its name (`${prefix}-css-var`)
import cssVarClsOf from 'antd/es/config-provider/hooks/useCSSVarCls';

/** The shape of antd's internal style hooks (`antd/es/<component>/style`). */
export type AntdStyleHook = (prefixCls: string, rootCls?: string) => readonly [hashId: string, cssVarCls: string];

export interface AntdClasses {
  /** the component's class prefix ('ant-table') */
  prefix: string;
  /** the theme's hash class (empty when hashing is off) */
  hashId: string;
  /** the class antd's stylesheet reads the component's CSS variables under */
  cssVarCls: string;
  /** the root class the component puts on its outer element ('' unless asked for) */
  rootCls: string;
}

/**
 * The classes antd's `component` (its prefix without 'ant-', e.g. 'table', 'layout-sider') puts
 * on its elements for the theme. `withRoot`: the component scopes its CSS variables under its
 * root class (`<prefix>-css-var`, what Table, Menu and Avatar do); otherwise under its prefix.
 */
export function useAntdClasses(component: string, useStyle: AntdStyleHook, withRoot = false): AntdClasses {
  const prefix = useContext(ConfigProvider.ConfigContext).getPrefixCls(component);
  const rootCls = withRoot ? cssVarClsOf(prefix) : '';
  const [hashId, cssVarCls] = useStyle(prefix, rootCls || undefined);
  return { prefix, hashId, cssVarCls, rootCls };
}

/** Class names joined with spaces, the empty ones left out. */
export const classNames = (...names: (string | false | undefined)[]): string => names.filter(Boolean).join(' ');
