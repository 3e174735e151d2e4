// antd's prebuilt stylesheet, trimmed at build time to the components the app can render.
//
// Why: with `zeroRuntime` (src/app/theme.ts) main.tsx imports antd's whole `antd/dist/antd.css`
// (~1 MB raw, ~110 KB gz): render-blocking on every full page load (a static page with 200
// inputs painted ~27 ms later with it linked), and every style recalculation matches the
// elements against all its rules. Most of them dress components the app never renders (Tour,
// Transfer, Mentions, ColorPicker, Carousel, …).
//
// How: the keep-set is derived from the code, not listed by hand, so it cannot rot:
//  - every antd module the app can load: the names src/ imports from 'antd' (through antd's
//    es/index.js) and from 'antd/es/…', and everything those modules import inside antd/es,
//    transitively (Table brings Pagination, Checkbox, Dropdown, Spin, Empty…; App brings
//    message, notification and Modal). The class prefixes they can render are the literal
//    arguments of their `getPrefixCls('…')` calls (antd's only way to name a component's
//    classes; `${rootPrefixCls}-btn` templates are counted too);
//  - the classes src/ writes itself (markup drawn with antd's classes, lib/antdClasses.ts): its
//    `getPrefixCls('…')` / `useAntdClasses('…')` arguments and every `ant-…` word in its strings.
// A class of the stylesheet belongs to the longest prefix any antd module names (`ant-input-
// number-handler` to 'input-number', not 'input'). A selector with a class (outside :not(),
// :is(), :has()… where it does not have to match) of a prefix nothing can render cannot match
// anything and is dropped; a rule with no selector left, and an at-rule left empty, go with it.
// The default theme variables antd.css writes under the `css-var-_R_…` classes of its own
// (server) render go too: a client-rendered app never has them (see SERVER_CSS_VAR).
// Everything else stays where it was, in order (the cascade is unchanged): the `a`/`.anticon`
// globals, the motion classes (`ant-zoom-big`, `ant-slide-up`…), @keyframes. lightningcss
// (Vite's own CSS parser and minifier) reads the selectors; postcss cuts the dropped ones out of
// the text and leaves the rest byte for byte (Vite minifies it afterwards, as the whole file).
//
// Only `vite build` trims: the dev server serves the whole stylesheet, so a component newly
// imported while it runs is dressed without a restart. scripts/antd-css.test.mjs checks the
// trimmed stylesheet still dresses every component the app uses.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transform } from 'lightningcss';
import postcss from 'postcss';
import { parseAst } from 'vite';

/** The functions whose first argument names a component's class prefix ('table' -> 'ant-table'). */
const PREFIX_FUNCTIONS = new Set(['getPrefixCls', 'useAntdClasses']);
/** antd's default class prefix (the app does not change it: see app/AntdProvider.tsx). */
const ANT = 'ant';
/** A class word of antd's in our strings: 'ant-table-cell', not '@ant-design' or '--ant-color'. */
const ANT_CLASS = /(?<![\w@-])ant-[a-z][a-z0-9-]*/g;

/** Calls `visit` on every node of an ESTree AST. */
function walk(node, visit) {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  if (typeof node.type === 'string') visit(node);
  for (const key in node) {
    const value = node[key];
    if (value && typeof value === 'object') walk(value, visit);
  }
}

/** The name a call's callee ends in: `getPrefixCls(…)` and `config.getPrefixCls(…)` alike. */
function calleeName(callee) {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed) return callee.property.name;
  return null;
}

/** The JavaScript file an import of `spec` from `from` loads, or null outside the file system. */
function resolveFile(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const file of [base, `${base}.js`, join(base, 'index.js')]) {
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/**
 * One antd module: the files it imports inside antd, the prefixes its `getPrefixCls` calls
 * name, its top-level string constants (`floatButtonPrefixCls = 'float-btn'`, passed by name).
 */
function readAntdModule(file) {
  const ast = parseAst(readFileSync(file, 'utf8'), { lang: 'js' }, file);
  const imports = [];
  const importedNames = new Map();
  const constants = new Map();
  const prefixArgs = [];
  const rootTemplates = [];
  walk(ast, (node) => {
    if (node.source?.type === 'Literal' && typeof node.source.value === 'string' && node.source.value.startsWith('.')) {
      const target = resolveFile(file, node.source.value);
      if (target) {
        imports.push(target);
        if (node.type === 'ImportDeclaration') {
          for (const spec of node.specifiers) if (spec.imported) importedNames.set(spec.local.name, { file: target, name: spec.imported.name });
        }
      }
    } else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init?.type === 'Literal' && typeof node.init.value === 'string') {
      constants.set(node.id.name, node.init.value);
    } else if (node.type === 'CallExpression' && calleeName(node.callee) === 'getPrefixCls' && node.arguments.length) {
      prefixArgs.push(node.arguments[0]);
    } else if (node.type === 'TemplateLiteral') {
      // `${rootPrefixCls}-btn`: a class of another component named from the root prefix
      node.expressions.forEach((expression, index) => {
        const rest = node.quasis[index + 1].value.cooked ?? '';
        const word = /^-([a-z][a-z0-9-]*[a-z0-9])/.exec(rest);
        if (expression.type === 'Identifier' && /^rootPrefix/.test(expression.name) && word) rootTemplates.push(`${ANT}-${word[1]}`);
      });
    }
  });
  return { imports, importedNames, constants, prefixArgs, rootTemplates };
}

/** Every .js file under `dir`, locales left out (translations only). */
function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locale' ? [] : jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

/** The prefixes a module's `getPrefixCls` calls can name: literals, and constants by name. */
function prefixesOf(modules, file) {
  const module = modules.get(file);
  const out = [];
  const lookup = (name, owner) => {
    const own = modules.get(owner);
    if (own.constants.has(name)) return own.constants.get(name);
    const imported = own.importedNames.get(name);
    return imported && modules.has(imported.file) ? modules.get(imported.file).constants.get(imported.name) : undefined;
  };
  for (const arg of module.prefixArgs) {
    walk(arg, (node) => {
      if (node.type === 'Literal' && typeof node.value === 'string') out.push(node.value);
      else if (node.type === 'Identifier') {
        const value = lookup(node.name, file);
        if (value !== undefined) out.push(value);
      }
    });
  }
  return out;
}

/** The longest prefix of `universe` that `className` ('ant-input-number-handler') belongs to. */
export function ownerOf(className, universe) {
  let best = null;
  for (const prefix of universe) {
    const root = `${ANT}-${prefix}`;
    if ((className === root || className.startsWith(`${root}-`)) && (best === null || prefix.length > best.length)) best = prefix;
  }
  return best;
}

/** The source files of the app (tests left out: they never render in the built app). */
function appFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : appFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * What the app can render of antd, from its source (`root`: the frontend folder).
 * `universe`: every class prefix antd names; `kept`: the ones the app can render, with why
 * (`reasons`: prefix -> the first file that brought it in).
 */
export function antdKeepSet(root) {
  const es = join(root, 'node_modules/antd/es');
  const modules = new Map(jsFiles(es).map((file) => [file, readAntdModule(file)]));
  const universe = new Set();
  for (const file of modules.keys()) for (const prefix of prefixesOf(modules, file)) if (prefix) universe.add(prefix);

  // the names of antd's index: `export { default as Table } from './table'`
  const exported = new Map();
  walk(parseAst(readFileSync(join(es, 'index.js'), 'utf8'), { lang: 'js' }), (node) => {
    if (node.type === 'ExportNamedDeclaration' && node.source) {
      const target = resolveFile(join(es, 'index.js'), node.source.value);
      for (const spec of node.specifiers) exported.set(spec.exported.name, target);
    }
  });

  const kept = new Map();
  const keep = (prefix, why) => {
    if (prefix && !kept.has(prefix)) kept.set(prefix, why);
  };
  const entries = [];
  for (const file of appFiles(join(root, 'src'))) {
    const why = relative(root, file);
    const ast = parseAst(readFileSync(file, 'utf8'), { lang: file.endsWith('x') ? 'tsx' : 'ts' }, file);
    walk(ast, (node) => {
      // an import, or a re-export (`export { Select } from 'antd'`): either brings the
      // component into the app
      const reexport = node.type === 'ExportNamedDeclaration' && node.source && node.exportKind !== 'type';
      if ((node.type === 'ImportDeclaration' && node.importKind !== 'type') || reexport) {
        const source = node.source.value;
        if (source === 'antd') {
          for (const spec of node.specifiers) {
            const name = reexport ? spec.local?.name : spec.imported?.name;
            if (spec.importKind === 'type' || spec.exportKind === 'type' || !name) continue;
            const target = exported.get(name);
            if (target) entries.push({ file: target, why: `${why}: ${name}` });
          }
        } else if (source.startsWith('antd/es/')) {
          const target = resolveFile(join(es, 'index.js'), `./${source.slice('antd/es/'.length)}`);
          if (target) entries.push({ file: target, why: `${why}: ${source}` });
        }
      } else if (node.type === 'CallExpression' && PREFIX_FUNCTIONS.has(calleeName(node.callee))) {
        const arg = node.arguments[0];
        if (arg?.type === 'Literal' && typeof arg.value === 'string') keep(arg.value, `${why}: ${calleeName(node.callee)}('${arg.value}')`);
      } else if ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateElement' || node.type === 'JSXText') {
        const text = node.type === 'TemplateElement' ? (node.value.cooked ?? '') : node.value;
        for (const [word] of text.matchAll(ANT_CLASS)) {
          const owner = ownerOf(word, universe);
          if (owner) keep(owner, `${why}: "${word}"`);
        }
      }
    });
  }

  // everything antd can load from there
  const seen = new Set();
  const queue = [...entries];
  while (queue.length) {
    const { file, why } = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const module = modules.get(file);
    if (!module) continue;
    for (const prefix of prefixesOf(modules, file)) keep(prefix, why);
    for (const word of module.rootTemplates) {
      const owner = ownerOf(word, universe);
      if (owner) keep(owner, why);
    }
    for (const target of module.imports) queue.push({ file: target, why });
  }
  return { universe, kept: new Set(kept.keys()), reasons: kept };
}

/** The classes a selector requires on its elements: its compounds' own, not those in :not(…) & co. */
function requiredClasses(selector) {
  return selector.filter((component) => component.type === 'class').map((component) => component.name);
}

/**
 * The theme classes of antd's stylesheet extraction: antd.css writes its default tokens under
 * `css-var-<the ConfigProvider's useId>` of the server render that produced it (`css-var-_R_0_`,
 * `css-var-_R_29n_`: React's server ids, `_R_…_`). A React app rendered on the client
 * (`createRoot`) only makes client ids (`_r_…_`), and with `zeroRuntime` antd writes our theme's
 * variables into the page under that class itself, so no element ever carries these.
 */
const SERVER_CSS_VAR = /^css-var-_R_/;

/** At-rules that only group other rules: gone when nothing is left in them. */
const GROUPS = new Set(['media', 'supports', 'container', 'layer', 'starting-style']);

/**
 * Which selectors of each style rule of `css` can match, in document order: lightningcss
 * (Vite's own CSS parser) parses the selectors; `isDead(className)` says a class cannot occur.
 */
function liveSelectors(css, isDead) {
  const rules = [];
  transform({
    filename: 'antd.css',
    code: Buffer.from(css),
    visitor: {
      Rule: {
        style(rule) {
          rules.push(rule.value.selectors.map((selector) => !requiredClasses(selector).some(isDead)));
        },
      },
    },
  });
  return rules;
}

/**
 * `css` (antd.css) without the selectors nothing in the app can match: those requiring a
 * class that belongs to a prefix of `universe` outside `kept`, or a server-rendered theme
 * class; a rule left without selectors goes, and an at-rule left empty. postcss removes them
 * from the text: everything else is the original text, byte for byte (Vite minifies it after,
 * as it did the whole file). Returns the stylesheet and counts of what was dropped.
 */
export function trimAntdCss(css, { universe, kept }) {
  const dead = new Map();
  const isDead = (className) => {
    if (!dead.has(className)) {
      const owner = className.startsWith(`${ANT}-`) ? ownerOf(className, universe) : null;
      dead.set(className, SERVER_CSS_VAR.test(className) || (owner !== null && !kept.has(owner)));
    }
    return dead.get(className);
  };
  const live = liveSelectors(css, isDead);
  const root = postcss.parse(css);
  const stats = { rules: 0, droppedRules: 0, droppedSelectors: 0 };
  const styleRules = [];
  root.walkRules((rule) => {
    // keyframe steps (`0%{…}`) are rules to postcss, not to lightningcss
    if (rule.parent.type !== 'atrule' || rule.parent.name !== 'keyframes') styleRules.push(rule);
  });
  if (styleRules.length !== live.length) throw new Error(`antd-css: postcss sees ${styleRules.length} style rules, lightningcss ${live.length}`);
  styleRules.forEach((rule, index) => {
    stats.rules += 1;
    const alive = live[index];
    if (alive.every(Boolean)) return;
    if (rule.selectors.length !== alive.length) return; // the parsers split it differently: keep it whole
    stats.droppedSelectors += alive.filter((ok) => !ok).length;
    if (alive.some(Boolean)) {
      rule.selectors = rule.selectors.filter((_, at) => alive[at]);
      return;
    }
    stats.droppedRules += 1;
    let parent = rule.parent;
    rule.remove();
    while (parent.type === 'atrule' && GROUPS.has(parent.name) && !parent.nodes.some((node) => node.type !== 'comment')) {
      const above = parent.parent;
      parent.remove();
      parent = above;
    }
  });
  return { code: root.toString(), stats };
}

/** Matches the import of antd's whole prebuilt stylesheet (main.tsx's `antd/dist/antd.css`). */
const ANTD_CSS = /[\\/]node_modules[\\/]antd[\\/]dist[\\/]antd\.css$/;

/** The Vite plugin: `vite build` gets antd.css trimmed to what src/ can render. */
export function antdCss() {
  let root = process.cwd();
  return {
    name: 'tessera-antd-css',
    apply: 'build',
    enforce: 'pre',
    configResolved(config) {
      root = config.root;
    },
    transform(code, id) {
      if (!ANTD_CSS.test(id.split('?')[0])) return null;
      return { code: trimAntdCss(code, antdKeepSet(root)).code, map: null };
    },
  };
}
