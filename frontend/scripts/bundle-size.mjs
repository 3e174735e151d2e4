// Prints the gzipped size of the JavaScript a first visit loads (the entry and its static
// imports, and the user's language; not the lazily loaded routes). Usage: node scripts/bundle-size.mjs [limitKB]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g), ...html.matchAll(/<link rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]);
const seen = new Set();
const queue = [...entries];
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  // static imports only: `import ... from "./x.js"` / `import "./x.js"`, never `import("./x.js")`
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    queue.push(join('assets', m[1]));
  }
}
const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
let total = 0;
for (const file of seen) {
  const size = gz(file);
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB gz  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB gz  the shell (${seen.size} files)`);
// The app renders once the user's language is in: index.html's boot script preloads that one
// language's chunk (i18n/languages.ts) with the shell, so a first visit loads the shell plus one
// of them (and what it imports that the shell doesn't). Counted here for the heaviest language.
const languages = readdirSync(join(dist, 'assets')).filter((name) => /^lang-.+\.js$/.test(name));
let heaviest = 0;
for (const name of languages) {
  const files = new Set([join('assets', name)]);
  const code = readFileSync(join(dist, 'assets', name), 'utf8');
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    if (!seen.has(join('assets', m[1]))) files.add(join('assets', m[1]));
  }
  const size = [...files].reduce((sum, file) => sum + gz(file), 0);
  heaviest = Math.max(heaviest, size);
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB gz  + ${[...files].join(' + ')}`);
}
const kb = (total + heaviest) / 1024;
console.log(`${kb.toFixed(1).padStart(8)} KB gz  initial JavaScript (the shell and the heaviest language)`);
const limit = Number(process.argv[2]);
if (limit && kb > limit) {
  console.error(`over the ${limit} KB budget`);
  process.exit(1);
}
