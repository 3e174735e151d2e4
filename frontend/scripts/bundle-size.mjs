// Prints the gzipped size of the JavaScript a first visit loads (the entry and its static
// imports, not the lazily loaded routes). Usage: node scripts/bundle-size.mjs [limitKB]
import { readFileSync } from 'node:fs';
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
let total = 0;
for (const file of seen) {
  const size = gzipSync(readFileSync(join(dist, file))).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB gz  ${file}`);
}
const kb = total / 1024;
console.log(`${kb.toFixed(1).padStart(8)} KB gz  initial JavaScript (${seen.size} files)`);
const limit = Number(process.argv[2]);
if (limit && kb > limit) {
  console.error(`over the ${limit} KB budget`);
  process.exit(1);
}
