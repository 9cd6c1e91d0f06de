// React picks its development or production build from NODE_ENV when first loaded; the
// development build costs several times the CPU and memory. Loads an Ink module with
// production React (and Ink's trimmed imports), then puts NODE_ENV back so nothing we
// start inherits our choice. `evident console` and `evident watch` load their UI through it.
import { trimInkImports } from './trim-ink-imports.ts';

export async function importInProductionMode<T>(load: () => Promise<T>): Promise<T> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  trimInkImports();
  try {
    return await load();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
