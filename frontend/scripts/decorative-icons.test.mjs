// The build's rewrite of antd's icon component (scripts/decorative-icons.mjs), on the installed library.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { hideDecorativeIcons } from './decorative-icons.mjs';

const root = resolve(import.meta.dirname, '..');
const source = (build, component) => readFileSync(`${root}/node_modules/@ant-design/icons/${build}/components/${component}.js`, 'utf8');

// the component the icons render (es/icons/*.js import AntdIconLight)
const iconFile = `${root}/node_modules/@ant-design/icons/lib/components/AntdIconLight.js`;
const requireThere = createRequire(iconFile);

/** The rewritten CommonJS component, loaded as a module of its own (its imports resolved where it lives). */
function rewrittenIcon() {
  const module = { exports: {} };
  const load = new Function('module', 'exports', 'require', hideDecorativeIcons(readFileSync(iconFile, 'utf8')));
  load(module, module.exports, requireThere);
  return module.exports.default;
}

describe('decorative icons', () => {
  it('rewrites both components and both builds of the installed @ant-design/icons', () => {
    for (const build of ['es', 'lib']) {
      for (const component of ['AntdIcon', 'AntdIconLight']) {
        const code = hideDecorativeIcons(source(build, component));
        expect(code, `${build}/${component}`).not.toContain('"aria-label": icon.name');
        expect(code, `${build}/${component}`).toContain('"aria-hidden": "true"');
      }
    }
  });

  it('fails on a library that labels its icons some other way', () => {
    expect(() => hideDecorativeIcons('const props = { role: "img", title: icon.name };')).toThrow(/re-check/);
  });

  it('hides an unnamed icon and keeps a named one as an image with its name', () => {
    const Icon = rewrittenIcon();
    const PlusOutlined = requireThere('@ant-design/icons-svg/lib/asn/PlusOutlined').default;
    // the component's own React (the library's copy of it is the app's)
    const { createElement: h } = requireThere('react');
    const { renderToStaticMarkup } = requireThere('react-dom/server');
    // the icon's own element (its <svg> inside is aria-hidden either way)
    const root = (props) => /^<span[^>]*>/.exec(renderToStaticMarkup(h(Icon, { icon: PlusOutlined, ...props })))[0];
    const hidden = root({});
    expect(hidden).toContain('aria-hidden="true"');
    expect(hidden).not.toMatch(/role="img"|aria-label/);
    const named = root({ 'aria-label': '新建' });
    expect(named).toContain('role="img"');
    expect(named).toContain('aria-label="新建"');
    expect(named).not.toContain('aria-hidden');
    expect(root({ 'aria-labelledby': 'caption' })).toContain('role="img"');
  });
});
