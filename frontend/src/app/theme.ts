import { theme as antdTheme, type MappingAlgorithm, type ThemeConfig } from 'antd';
import precomputed from './antdMapToken.json';

export const BRAND = '#2f54eb';
const BRAND_HOVER = '#2647d8'; // 7.1:1 over white

/**
 * Text at least 4.5:1 against white and our layout grey (WCAG 2.1 AA 1.4.3, which public-sector
 * buyers check; tests/e2e/test_accessibility.py measures it). antd's secondary text, placeholder
 * (rgba(0,0,0,.45) = 3.36:1, .25 = 1.8:1), links (#1677ff, 4.1:1) and error red (#ff4d4f,
 * 3.3:1) are below it; disabled text (colorTextQuaternary) is exempt and stays pale.
 */
const READABLE_GREY = 'rgba(0,0,0,0.58)'; // #6b6b6b over white: 5.3:1, over #f5f7fb: 5.0:1

/**
 * The text shade of antd's coloured tags (`<Tag color="green">`: its palette's 7th shade on the
 * 1st) where that is below 4.5:1 — green #389e0d on #f6ffed is 3.4:1 — moved to the first darker
 * shade of the same palette that reads (antd's own palettes, @ant-design/colors).
 */
const TAG_SHADES = { volcano: '#ad2102', orange: '#ad4e00', gold: '#874d00', yellow: '#876800', lime: '#3f6600', green: '#237804', cyan: '#006d75' };
// antd has each shade twice ('green-7' and 'green7'), both written as the CSS variable --ant-green-7
const TAG_TEXT = Object.fromEntries(Object.entries(TAG_SHADES).flatMap(([hue, shade]) => [[`${hue}-7`, shade], [`${hue}7`, shade]]));

/** Our design tokens: antd's seed tokens we change, and some of its map and alias tokens. */
export const TOKEN: NonNullable<ThemeConfig['token']> = {
  colorPrimary: BRAND,
  colorLink: BRAND, // 5.9:1 (antd's links follow colorInfo #1677ff otherwise)
  // hovered links and buttons a shade darker, not lighter: antd's #597ef7 / #85a5ff are 3.7 / 2.5:1
  colorPrimaryHover: BRAND_HOVER,
  colorPrimaryTextHover: BRAND_HOVER,
  colorLinkHover: BRAND_HOVER,
  colorError: '#cf1322', // 5.6:1 over white, 5.1:1 over antd's light error background
  colorTextTertiary: READABLE_GREY, // also colorTextDescription: Typography secondary, hints
  colorTextPlaceholder: READABLE_GREY,
  ...TAG_TEXT,
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
    Descriptions: { labelColor: READABLE_GREY }, // the record page's labels (antd: .45, 3.4:1)
  },
};
