import type { ThemeConfig } from 'antd';

export const BRAND = '#2f54eb';

export const theme: ThemeConfig = {
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
