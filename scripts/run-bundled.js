// @ts-check
// Runs a TypeScript entry of the hub (npm start: scripts/start.ts) on plain Node, as one bundle of the hub's own
// code, built with esbuild into node_modules/.cache/hub-bundles the first time and again when a source changed.
//
// Under tsx every module of a start went through its loader: the hub's own files transformed one by one and
// every import of every package resolved across a thread of hooks, about a quarter of a start's CPU. Here
// only the hub's own code is bundled; the packages stay where they are installed, imported by their resolved
// paths, and each module of the bundle keeps its own import.meta.url, so files it reads beside itself
// (migrations, the supergraph, the database's thread) are found where they always were.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'hub-bundles');

/**
 * What a bundle was built from: each input file's size and modification time, with the package.json and
 * tsconfig.json that decide how the imports resolve and compile, and this script itself.
 * @param {readonly string[]} inputs paths relative to ROOT
 * @returns {Record<string, string>}
 */
function stamp(inputs) {
  const files = new Set([
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    relative(ROOT, fileURLToPath(import.meta.url)),
  ]);
  for (const input of inputs) {
    files.add(input);
    // The package.json of the workspace holding it: its exports say where @hub/… imports go.
    for (let dir = dirname(input); dir !== '.' && dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(join(ROOT, dir, 'package.json'))) {
        files.add(join(dir, 'package.json'));
        break;
      }
    }
  }
  /** @type {Record<string, string>} */
  const stats = {};
  for (const file of [...files].sort()) {
    try {
      const stat = statSync(join(ROOT, file));
      stats[file] = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      stats[file] = 'missing';
    }
  }
  return stats;
}

/**
 * @typedef {object} Manifest
 * @property {string} bundle the folder of the built bundle, under the entry's cache folder
 * @property {string} root the checkout it was built in: the bundle imports its packages and reads its files
 *   by their absolute paths there, so a copy or a move of the checkout (which keeps each file's size and time)
 *   builds its own
 * @property {Record<string, string>} stamp
 */

/**
 * The bundle of `entry` when it is as current as its sources; null when it must be built.
 * @param {string} cacheDir
 * @returns {string | null}
 */
function currentBundle(cacheDir) {
  try {
    const manifest = /** @type {Manifest} */ (JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')));
    const now = stamp(Object.keys(manifest.stamp));
    const same = manifest.root === ROOT && Object.entries(manifest.stamp).every(([file, was]) => now[file] === was);
    return same && existsSync(join(cacheDir, manifest.bundle)) ? join(cacheDir, manifest.bundle) : null;
  } catch {
    return null;
  }
}

/**
 * Builds the bundle of `entry` (relative to ROOT) into a new folder, then points the manifest at it.
 * @param {string} entry
 * @param {string} cacheDir
 * @returns {Promise<string>}
 */
async function build(entry, cacheDir) {
  const esbuild = await import('esbuild');
  const name = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const outdir = join(cacheDir, name);
  /** @type {import('esbuild').Plugin} */
  const ownCode = {
    name: 'hub-own-code',
    setup(build) {
      // Packages stay outside the bundle, imported by the path Node would resolve (nested copies included).
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith('@hub/') || args.pluginData === 'resolving') return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (found.errors.length) return { errors: found.errors };
        return { path: found.external ? found.path : pathToFileURL(found.path).href, external: true };
      });
      // Each module keeps its own location: a file read beside a module is read beside its source.
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        const url = JSON.stringify(pathToFileURL(args.path).href);
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // As Node resolves: "main" and the node/import/default conditions, never a bundler's "module" build.
    mainFields: ['main'],
    conditions: [],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    plugins: [ownCode],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  /** @type {Manifest} */
  const manifest = { bundle: name, root: ROOT, stamp: stamp(inputs) };
  const partial = join(cacheDir, `manifest.${name}.json`);
  await writeFile(partial, JSON.stringify(manifest));
  await rename(partial, join(cacheDir, 'manifest.json'));
  await removeOldBundles(cacheDir, name);
  return outdir;
}

/**
 * Removes the bundles built before `kept` more than a day ago: a hub still running from one may yet import
 * a part of it.
 * @param {string} cacheDir
 * @param {string} kept
 */
async function removeOldBundles(cacheDir, kept) {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of await readdir(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === kept) continue;
    const path = join(cacheDir, entry.name);
    if (statSync(path).mtimeMs < dayAgo) await rm(path, { recursive: true, force: true });
  }
}

/**
 * The current bundle of `entry`, built when needed; null when node_modules/.cache cannot be written.
 * @param {string} entry
 * @returns {Promise<string | null>}
 */
async function bundleOf(entry) {
  const cacheDir = join(CACHE, entry.replace(/[^a-zA-Z0-9]+/g, '-'));
  const current = currentBundle(cacheDir);
  if (current) return current;
  try {
    await mkdir(cacheDir, { recursive: true });
    return await build(entry, cacheDir);
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return null;
    throw error;
  }
}

/** @param {string} entry */
async function run(entry) {
  const bundle = await bundleOf(entry);
  if (!bundle) {
    // A read-only installation: the sources as they are, under tsx.
    const tsx = await import('tsx/esm/api');
    tsx.register();
    await import(pathToFileURL(join(ROOT, entry)).href);
    return;
  }
  // Source maps are Node's to turn on (NODE_OPTIONS=--enable-source-maps): on, Node reads and keeps the map
  // of every module it loads, the installed packages' too, about 12 MB of a started hub's 62 MB of live heap.
  // Off, a stack names the bundle's lines, under a comment naming each TypeScript source they came from.
  const main = join(bundle, entry.replace(/^.*\//, '').replace(/\.ts$/, '.js'));
  await import(pathToFileURL(main).href);
}

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run-bundled.js <entry.ts, relative to the repository>\n');
  process.exit(2);
}
// The entry reads its own arguments after the script's name, as if it were run itself.
process.argv.splice(1, 2, join(ROOT, entry));
await run(entry);
