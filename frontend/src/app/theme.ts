import type { ThemeConfig } from 'antd';

export const BRAND = '#2f54eb';

/**
 * `zeroRuntime`: antd's styles come from its prebuilt `antd/dist/antd.css` (imported in
 * main.tsx) instead of being generated in the browser for every component on its first render
 * (`useStyleRegister`: most of a cold list's main-thread time). Our tokens still apply: antd
 * still writes the token CSS variables (`--ant-color-primary`, the Layout/Menu component
 * variables) that antd.css reads.
 */
export const theme: ThemeConfig = {
  zeroRuntime: true,
  token: {
    colorPrimary: BRAND,
    borderRadius: 8,
    colorBgLayout: '#f5f7fb',
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', headerPadding: '0 16px', headerHeight: 56, siderBg: '#ffffff' },
    Menu: { itemBorderRadius: 6 },
  },
};
