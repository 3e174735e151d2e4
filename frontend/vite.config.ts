/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rolldown } from 'vite';
import { BOOT_RESPONSE_TTL_MS, startBoot, type RoutePreload } from './src/app/boot';
import { antdCss } from './scripts/antd-css.mjs';
import { decorativeIcons } from './scripts/decorative-icons.mjs';
import { captureFirstPaint } from './src/firstPaint/takeover/capture';

// `npm run dev` forwards the API to a local `tessera serve`; the production build is served by it.
const API_TARGET = 'http://127.0.0.1:8000';

/**
 * Route chunks a full page load of that path fetches with the shell (the paths of
 * app/router.tsx): the pages people open from a link or a bookmark, or reload.
 */
const ROUTE_CHUNKS: { pattern: string; module: string }[] = [
  { pattern: '^/apps/[^/]+/forms/[^/]+/?$', module: 'src/records/ListPage.tsx' },
  { pattern: '^/apps/[^/]+/forms/[^/]+/new/?$', module: 'src/records/NewRecordPage.tsx' },
  { pattern: '^/apps/[^/]+/forms/[^/]+/records/[^/]+/?$', module: 'src/records/RecordPage.tsx' },
  { pattern: '^/apps/[^/]+/forms/[^/]+/records/[^/]+/edit/?$', module: 'src/records/EditRecordPage.tsx' },
  // a public fill link (its stylesheets are also page.public's, scripts/first-paint.mjs)
  { pattern: '^/f/[^/]+/?$', module: 'src/public/PublicFormPage.tsx' },
];

/** The language chunks (i18n/languages.ts): `lang.<locale>.ts`. */
const LANGUAGE_MODULE = /[\\/]src[\\/]i18n[\\/]lang\.([\w-]+)\.ts$/;
/** The message tables: i18n/messages.ts and the areas' messages.<area>.ts it merges. */
const MESSAGES_MODULE = /[\\/]src[\\/]i18n[\\/]messages(\.\w+)?\.ts$/;

/** A messages module's copy for one language (`messages.ts?lang=en`, see languageSide). */
const LANGUAGE_COPY = /\?lang=([\w-]+)$/;

/** The language a module belongs to: a language's module or a messages module's copy for it. */
const languageOf = (id: string): string | undefined => LANGUAGE_MODULE.exec(id)?.[1] ?? LANGUAGE_COPY.exec(id)?.[1];

/** `export const name: Type = {` on a line, up to the first line that is `};` or `} as const;`. */
const TOP_LEVEL_TABLE = /^(export const \w+(?:: [^=\n]+)? = )(\{\n[\s\S]*?\n\}(?: as const)?);$/gm;

/**
 * One language's side of the message tables in that language's chunk, the other's nowhere near
 * it. Each messages module holds both languages (`en` and `zhCN`, `adminEn` and `adminZh`…),
 * side by side where they are written and checked against each other; a module is the bundler's
 * smallest unit, so both languages would travel together wherever either is imported. Imported
 * from a language chunk, each messages module is a copy of its own (`messages.ts?lang=en`),
 * whose other side no one reads and tree-shaking drops: the shell and the other language's
 * chunk carry none of it. (Tests and `vite dev` import the modules as they are.)
 */
function languageSide(): Plugin {
  return {
    name: 'tessera-language-side',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const language = importer && languageOf(importer);
      if (!language) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !MESSAGES_MODULE.test(resolved.id)) return resolved;
      return { ...resolved, id: `${resolved.id}?lang=${language}` };
    },
    transform(code, id) {
      if (!LANGUAGE_COPY.test(id)) return null;
      // Each top-level table (`export const x = {` … `};`) a pure call: a literal with spreads
      // (`...adminZh`) counts as a side effect (a spread may run getters), so the unread
      // language's table and every table it spreads would otherwise stay.
      const pure = code.replace(TOP_LEVEL_TABLE, '$1/* @__PURE__ */ (() => ($2))();');
      if (pure === code) throw new Error(`tessera-language-side: no table in ${id}`);
      return { code: pure, map: null };
    },
  };
}

/** A chunk's file and the files it imports statically, transitively. */
function staticClosure(bundle: Rolldown.OutputBundle, file: string, seen = new Set<string>()): Set<string> {
  const chunk = bundle[file];
  if (seen.has(file) || chunk?.type !== 'chunk') return seen;
  seen.add(file);
  for (const imported of chunk.imports) staticClosure(bundle, imported, seen);
  return seen;
}

/**
 * Puts app/boot.ts's `startBoot` into index.html as an inline script, with the route chunks
 * (and what they import beyond the shell) it should preload, and each language's chunk: the API
 * reads and the page's JavaScript then start with the document, not after the shell has run.
 */
function bootScript(): Plugin {
  return {
    name: 'tessera-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const bundle = context.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
        const shell = new Set<string>();
        for (const entry of chunks.filter((chunk) => chunk.isEntry)) staticClosure(bundle, entry.fileName, shell);
        const routes: RoutePreload[] = ROUTE_CHUNKS.map(({ pattern, module }) => {
          const chunk = chunks.find((item) => item.facadeModuleId?.endsWith(`/${module}`));
          if (!chunk) throw new Error(`tessera-boot: no chunk for ${module}`);
          const files = [...staticClosure(bundle, chunk.fileName)].filter((file) => !shell.has(file));
          const css = files.flatMap((file) => {
            const item = bundle[file];
            return item.type === 'chunk' ? [...(item.viteMetadata?.importedCss ?? [])] : [];
          });
          return { pattern, js: files.map((file) => `/${file}`), css: [...new Set(css)].map((file) => `/${file}`) };
        });
        const languages: Record<string, string[]> = {};
        for (const chunk of chunks) {
          const language = chunk.moduleIds.map((id) => LANGUAGE_MODULE.exec(id)?.[1]).find(Boolean);
          if (!language) continue;
          const files = [...staticClosure(bundle, chunk.fileName)].filter((file) => !shell.has(file));
          languages[language] = files.map((file) => `/${file}`);
        }
        if (!languages.en || !languages['zh-CN']) throw new Error('tessera-boot: no chunk for a language');
        const code = `(${startBoot.toString()})(window, ${JSON.stringify(routes)}, ${BOOT_RESPONSE_TTL_MS}, ${JSON.stringify(languages)});`;
        return [{ tag: 'script', children: code, injectTo: 'head-prepend' }];
      },
    },
  };
}

/**
 * Puts firstPaint/takeover/capture.ts's `captureFirstPaint` into index.html as an inline script:
 * on a page the server drew (ADR 0009), it remembers the focus, the caret and a press on a drawn
 * control until the app takes the page over. At the head's start, after the boot script (listed
 * before bootScript in `plugins`: each prepends its tag), and before the stylesheet: a classic
 * script after a stylesheet waits for it, and the parsing of the drawn page with it. The page's
 * CSP names it by its hash like the boot script (tessera/api/page_security.py).
 */
function firstPaintScript(): Plugin {
  return {
    name: 'tessera-first-paint',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'script', children: `(${captureFirstPaint.toString()})(window);`, injectTo: 'head-prepend' }],
    },
  };
}

/**
 * Fewer, larger files for the first load: what index.html loads up front (the entry and its
 * static imports, rolldown's `$initial` tag) is one chunk instead of ~25 that a cold load fetched
 * six at a time; the lazily loaded code is grouped by the set of routes that import it (as the
 * automatic splitting does), with groups under MERGE_BELOW bytes (mostly single icons) merged
 * into a neighbour rather than fetched on their own.
 */
const MERGE_BELOW = 4_000;
/**
 * Library code only lazy pages run that would otherwise sit in the shell's file: a module goes
 * to the shell when an `import` statement reaches it from the shell's code, even one whose
 * binding tree-shaking then drops. antd's form engine (@rc-component/form and its validator,
 * reached through antd's form context, which the shell's buttons and inputs read) and Collapse
 * (reached through the colour presets module whose `isBright` the button styles use): ~50 KB
 * of the shell's file that no first page runs. rc-form's FormContext stays in the shell (the
 * shell's form context module refers to it), and rc-form is declared free of side effects
 * (its package.json doesn't say so; its modules only define and assign their own exports):
 * otherwise the shell keeps a bare `import` of the form engine's chunk to run it first.
 */
const FORM_ENGINE = /[\\/]node_modules[\\/]@rc-component[\\/](form|async-validator)[\\/]/;
const COLLAPSE = /[\\/]node_modules[\\/](@rc-component[\\/]collapse|antd[\\/]es[\\/]collapse)[\\/]/;
/**
 * The language chunk (i18n/languages.ts) a module belongs in: the language's module, its side
 * of the message tables, the locales of antd and dayjs it brings. rc-pagination's Chinese
 * locale is also its default, which the table pages' Pagination imports: in either language's
 * chunk, the table pages would load that chunk too; left to the automatic grouping, it was
 * merged into the table pages' shared chunk, which the Chinese chunk then imported (~200 KB
 * more for every Chinese page load). A file of its own (0.3 KB), preloaded with the Chinese one.
 */
function languageChunk(id: string): string | null {
  const language = languageOf(id);
  if (language) return `lang-${language}`;
  if (/[\\/]node_modules[\\/]@rc-component[\\/]pagination[\\/]es[\\/]locale[\\/]zh_CN\.js$/.test(id)) return 'pagination-zh';
  if (/[\\/]node_modules[\\/].*[\\/]locale[\\/]zh[_-]cn\.js$/i.test(id)) return 'lang-zh-CN';
  if (/[\\/]node_modules[\\/]dayjs[\\/]locale[\\/]en\.js$/.test(id)) return 'lang-en';
  return null;
}

const CHUNKS = {
  groups: [
    // one chunk per language, the whole of what it needs beyond the shell in one request
    { name: languageChunk, includeDependenciesRecursively: false, priority: 5 },
    {
      // one chunk each, fetched with the pages that use them
      name: (id: string) => (COLLAPSE.test(id) ? 'collapse' : 'form-engine'),
      test: (id: string) => COLLAPSE.test(id) || (FORM_ENGINE.test(id) && !id.endsWith('/es/FormContext.js')),
      includeDependenciesRecursively: false,
      priority: 4,
    },
    { name: 'shell', tags: ['$initial' as const], priority: 3 },
    // src/lib's small helpers in one chunk of their own, whoever imports them: left to the lazy
    // groups, one shared by only the list and the form (lib/useLatest) was a group under
    // MERGE_BELOW and was merged into the form's chunk, so the list route preloaded and ran
    // RecordForm and every field editor (23 files instead of 14). The ones the shell uses stay
    // in the shell's file (the higher priority).
    // The field registry (fields/registry.ts, 1.5 KB, read by the list, the forms and bulk
    // editing) joins them: left to the lazy groups, its group was under MERGE_BELOW and was
    // merged into the one of src/expr and json-logic (~23 KB) that only forms evaluate, which
    // every list load then fetched and ran.
    { name: 'lib', test: /[\\/]src[\\/](lib[\\/]|fields[\\/]registry\.ts$)/, priority: 2 },
    // the management of public links (its dialogs, only the links page opens them) in a chunk
    // of their own: left to the lazy groups, the edit dialog's group was under MERGE_BELOW and
    // was merged into the one of public/api.ts, which the record forms import (public
    // uploads), so every form page fetched and ran the dialog and what it imports (Radio,
    // Modal, DatePicker, antd's Table chunk: 32 files, 811 KB for the edit page)
    { name: 'link-admin', test: /[\\/]src[\\/]public[\\/](EditLinkDialog|embedding)\.tsx$/, includeDependenciesRecursively: false, priority: 2 },
    {
      // a lazily imported module itself (a route's page) keeps its own chunk, which the boot
      // script finds by its module and preloads with what it imports
      name: (id: string, context: Rolldown.ChunkingContext) => ((context.getModuleInfo(id)?.dynamicImporters.length ?? 0) > 0 ? null : 'lazy'),
      debugName: 'lazy',
      entriesAware: true,
      entriesAwareMergeThreshold: MERGE_BELOW,
      priority: 1,
    },
  ],
};

export default defineConfig({
  plugins: [languageSide(), react(), firstPaintScript(), bootScript(), antdCss(), decorativeIcons()],
  server: {
    proxy: { '/api': { target: API_TARGET, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: { codeSplitting: CHUNKS },
      treeshake: { moduleSideEffects: [{ test: FORM_ENGINE, sideEffects: false }] },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.mjs'],
    setupFiles: ['src/test/setup.ts'],
    // Node loads antd's CommonJS build for `import … from 'antd'` (its package.json has no
    // exports map, only main: lib/), so App.useApp() in tests reads lib/'s context:
    // lib/feedback must provide that one there (the browser build uses es/ throughout)
    alias: [{ find: /^antd\/es\/app\/context$/, replacement: 'antd/lib/app/context' }],
    css: false,
    testTimeout: 30000,
    // every core: vitest's default leaves one to its main process (cores - 1), which on the
    // 2-core CI machines ran the 66 files one at a time (286 s; 199 s with both, measured)
    maxWorkers: '100%',
  },
});
