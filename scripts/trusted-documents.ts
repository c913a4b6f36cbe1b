// npm run trusted-documents -- <files.graphql…> [--out <manifest.json>]: prints (or writes, with --out) the
// trusted-documents manifest for TRUSTED_DOCUMENTS, `{ "<sha256>": "<operation text>" }`, one entry per file, its
// text without its last newline. With --out the manifest replaces the file only once every file was taken, so a
// refusal leaves the one in use as it was (a shell's `> trusted.json` empties it before the command runs).
// Each file holds one operation (and the fragments it spreads) that runs against the hub's schema: a file
// that is not GraphQL, holds none or several, or would not validate, is refused here rather than trusted as a
// text that no client could run.

import { randomUUID } from 'node:crypto';
import { open, readFile, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { buildSchema, Kind, parse, validate, type GraphQLSchema } from 'graphql';
import { documentHash, operationText } from '@hub/gateway/limits';
import { apiSchemaSdl, readSupergraph } from '@hub/gateway/supergraph';

const args = process.argv.slice(2);
const at = args.indexOf('--out');
const out = at === -1 ? undefined : args[at + 1];
if (at !== -1 && (out === undefined || out.startsWith('--'))) {
  console.error('trusted-documents: --out needs a file name');
  process.exit(2);
}
const files = at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
if (files.length === 0) {
  console.error('usage: npm run -s trusted-documents -- <operation.graphql…> [--out trusted-documents.json]');
  process.exit(2);
}
// Paths are taken from where the command was typed (INIT_CWD; npm runs scripts in the project's folder).
const base = process.env['INIT_CWD'] ?? process.cwd();
const texts = await Promise.all(
  files.map((file) =>
    readFile(resolve(base, file), 'utf8').catch(() => {
      console.error(`trusted-documents: cannot read ${file}`);
      process.exit(2);
    }),
  ),
);
// A file ends with a newline, which a printed operation does not: each is registered without it (or a byte
// order mark before it), and the gateway takes its text sent with them too.
const operations = texts.map(operationText);
// The schema clients see (the supergraph's API schema), in this module's graphql.
const schema = buildSchema(apiSchemaSdl(await readSupergraph()));
operations.forEach((text, i) => {
  const problem = whyNotOneOperation(text, schema);
  if (problem) {
    console.error(`trusted-documents: ${files[i]} ${problem}`);
    process.exit(2);
  }
});
const manifest = JSON.stringify(Object.fromEntries(operations.map((text) => [documentHash(text), text])), null, 2);
if (out === undefined) console.log(manifest);
else await writeInPlace(resolve(base, out), `${manifest}\n`);

/** Why a file's text is not one operation a client can send as it is, or undefined. */
function whyNotOneOperation(text: string, schema: GraphQLSchema): string | undefined {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(text);
  } catch (error) {
    return `is not GraphQL: ${(error as Error).message}`;
  }
  const count = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  if (count === 0) return 'holds no operation (fragments belong in the file of the operation that spreads them)';
  if (count > 1) return `holds ${count} operations: put each in a file of its own (one manifest entry per operation)`;
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  // graphql's rules do not ask whether the schema has the operation's root type (the hub has no subscriptions).
  if (!schema.getRootType(operation.operation)) return `is a ${operation.operation}, which the hub does not answer`;
  const [invalid] = validate(schema, document);
  return invalid ? `does not run against the hub's schema: ${invalid.message}` : undefined;
}

/**
 * Writes `text` beside `path` and renames it into place: a reader of `path` sees the old manifest or the new.
 * A manifest reached through a link is written where the link points, keeping the link and the file's mode; the
 * file beside it is new (never one already there) and on disk before it takes the manifest's place.
 */
async function writeInPlace(path: string, text: string): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const mode = await stat(target).then(
    (found) => found.mode & 0o777,
    () => 0o644,
  );
  const written = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(written, 'wx', mode);
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(written, target);
  } catch (error) {
    await handle?.close();
    await rm(written, { force: true });
    console.error(`trusted-documents: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    process.exit(2);
  }
}
