// The explorer's page, bundled from the installed packages (graphiql, react) with esbuild the first time
// it is asked for, and kept in memory: no build step before `npm start`, nothing fetched from a CDN.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../browser/explorer.tsx', import.meta.url));

let bundled: Promise<{ js: string; css: string }> | undefined;

/** The page's script and style sheet; built once per process. */
export function explorerBundle(): Promise<{ js: string; css: string }> {
  bundled ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: 'explorer',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    logLevel: 'silent',
  }).then((result) => {
    const file = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
    return { js: file('.js'), css: file('.css') };
  });
  // A failed build is tried again on the next request rather than remembered.
  bundled.catch(() => (bundled = undefined));
  return bundled;
}
