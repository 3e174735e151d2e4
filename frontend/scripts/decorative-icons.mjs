// antd's icons are decorative: hidden from assistive technology unless given a name of their own.
//
// Why: @ant-design/icons gives every icon `role="img"` and `aria-label` set to its English file
// name ("plus", "delete", "search"), so a screen reader reads "plus 新建" for the New button and
// "down" for every select's arrow, in English even in the Chinese UI. What an icon means is said
// by the text beside it or by its button's aria-label (every icon-only button of the app has
// one: tests/e2e/test_accessibility.py checks `button-name`). The library has no switch for
// this (its IconContext carries classes only), so the build rewrites the one place it sets them,
// the icon component's props: an icon the caller names (`aria-label`, `aria-labelledby`) keeps `role="img"`
// and that name; any other is `aria-hidden`. Every icon, the app's and antd's own, goes through
// those components (AntdIcon and the AntdIconLight the icons use). A changed library fails the build rather than silently labelling icons again.
//
// Only `vite build` (and the dev server) rewrite it: vitest runs antd's own files, and no vitest
// asserts an icon's name; the e2e accessibility walk checks the built app.

/** The icon components of @ant-design/icons (the icons use AntdIconLight), ES and CommonJS builds. */
const ANTD_ICON = /[\\/]@ant-design[\\/]icons[\\/](es|lib)[\\/]components[\\/]AntdIcon(Light)?\.js$/;
/** The props it gives every icon before the caller's (`_extends({…}, restProps, …)`). */
const LABELLED = /\{\s*role: "img",\s*"aria-label": icon\.name\s*\}/;
const DECORATIVE =
  '(restProps["aria-label"] == null && restProps["aria-labelledby"] == null ? { "aria-hidden": "true" } : { role: "img" })';

/** AntdIcon's source with the rewrite; throws if the markup it rewrites is not there. */
export function hideDecorativeIcons(code) {
  if (!LABELLED.test(code)) {
    throw new Error('@ant-design/icons AntdIcon no longer sets role="img" and aria-label={icon.name} as expected: re-check scripts/decorative-icons.mjs');
  }
  return code.replace(LABELLED, DECORATIVE);
}

/** The Vite plugin. */
export function decorativeIcons() {
  return {
    name: 'tessera-decorative-icons',
    enforce: 'pre',
    transform(code, id) {
      return ANTD_ICON.test(id) ? { code: hideDecorativeIcons(code), map: null } : null;
    },
  };
}
