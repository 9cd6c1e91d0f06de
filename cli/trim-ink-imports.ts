// Ink imports `throttle` from 'es-toolkit/compat', whose entry loads all ~400 modules of
// the compat bundle: ~130 ms before the console's first frame and ~8 MB of memory, for
// one function. A resolve hook sends that one import, from Ink only, to the module of
// that function in the same es-toolkit copy (dist/compat/function/throttle.mjs, which
// exports `throttle`). Should Ink ever import another name from there, loading fails at
// once naming it (the console tests would say so), never silently; should the file move,
// the hook steps aside and Ink loads as it is.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

export function trimInkImports(): void {
  // module.registerHooks exists from Node 22.15 / 23.5; without it, Ink loads as it is.
  if (typeof module.registerHooks !== 'function') return;
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (specifier !== 'es-toolkit/compat' || !context.parentURL?.includes('/node_modules/ink/')) return resolved;
      const single = new URL('./function/throttle.mjs', resolved.url);
      return existsSync(fileURLToPath(single)) ? { url: single.href, format: 'module', shortCircuit: true } : resolved;
    },
  });
}
