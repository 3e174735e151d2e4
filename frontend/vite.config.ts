/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rolldown } from 'vite';
import { BOOT_RESPONSE_TTL_MS, startBoot, type RoutePreload } from './src/app/boot';
import { antdCss } from './scripts/antd-css.mjs';

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
];

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
 * (and what they import beyond the shell) it should preload: the API reads and the page's
 * JavaScript then start with the document, not after the shell has run.
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
        const code = `(${startBoot.toString()})(window, ${JSON.stringify(routes)}, ${BOOT_RESPONSE_TTL_MS});`;
        return [{ tag: 'script', children: code, injectTo: 'head-prepend' }];
      },
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
const CHUNKS = {
  groups: [
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
    { name: 'lib', test: /[\\/]src[\\/]lib[\\/]/, priority: 2 },
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
  plugins: [react(), bootScript(), antdCss()],
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
    css: false,
    testTimeout: 30000,
  },
});
