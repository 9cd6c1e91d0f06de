import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
const mb = (n) => (n/1048576).toFixed(1);
const st = () => { const s = Object.fromEntries(readFileSync('/proc/self/status','utf8').split('\n').filter(l=>/Rss(Anon|File)/.test(l)).map(l=>l.split(/:\s+/))); const m = process.memoryUsage(); return `${s.RssAnon} ${s.RssFile} heapTotal ${mb(m.heapTotal)} used ${mb(m.heapUsed)} ext ${mb(m.external)} ab ${mb(m.arrayBuffers)}`; };
console.log('bare', st());
for (const m of process.argv.slice(2)) { if (m==='trim') { (await import('./dist/src/cli/trim-ink-imports.js')).trimInkImports(); continue; } await import(m); console.log(m, st()); }
for (const s of v8.getHeapSpaceStatistics()) console.log(s.space_name, mb(s.space_size), mb(s.space_used_size));
