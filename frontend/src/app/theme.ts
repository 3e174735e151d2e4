import { theme as antdTheme, type MappingAlgorithm, type ThemeConfig } from 'antd';
import precomputed from './antdMapToken.json';

export const BRAND = '#2f54eb';

/** Our design tokens: antd's seed tokens we change, and two of its map tokens. */
export const TOKEN: NonNullable<ThemeConfig['token']> = {
  colorPrimary: BRAND,
  borderRadius: 8,
  colorBgLayout: '#f5f7fb',
  fontFamily:
    "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
};

/**
 * antd's default algorithm, with its answer for our seed computed ahead (antdMapToken.json,
 * which theme.test.tsx checks against the algorithm itself and rewrites with `-u`). The first
 * render of every page load ran the algorithm: a colour palette of ten shades for each of ~20
 * colours through FastColor, 8–16 ms of a full load's main thread before anything was drawn.
 * Another seed (a nested ConfigProvider's token) still goes through the algorithm.
 */
export const precomputedAlgorithm: MappingAlgorithm = (seed) =>
  JSON.stringify(seed) === precomputed.seed
    ? (precomputed.map as unknown as ReturnType<MappingAlgorithm>)
    : antdTheme.defaultAlgorithm(seed);

/**
 * `zeroRuntime`: antd's styles come from its prebuilt `antd/dist/antd.css` (imported in
 * main.tsx) instead of being generated in the browser for every component on its first render
 * (`useStyleRegister`: most of a cold list's main-thread time). Our tokens still apply: antd
 * still writes the token CSS variables (`--ant-color-primary`, the Layout/Menu component
 * variables) that antd.css reads.
 */
export const theme: ThemeConfig = {
  zeroRuntime: true,
  algorithm: precomputedAlgorithm,
  token: TOKEN,
  components: {
    Layout: { headerBg: '#ffffff', headerPadding: '0 16px', headerHeight: 56, siderBg: '#ffffff' },
    Menu: { itemBorderRadius: 6 },
  },
};
