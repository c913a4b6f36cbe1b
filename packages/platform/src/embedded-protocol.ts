// What the embedded database's thread (embedded-worker.js) and its parent (database.ts) say to each other.
// Types only: the thread itself is plain JavaScript, so that it starts without the TypeScript loader.

export interface EmbeddedWorkerData {
  readonly mode: 'init' | 'serve';
  readonly dir: string;
  readonly maxConnections: number;
  /** PostgreSQL settings given at start (`-c name=value`), beside PGlite's own start parameters. */
  readonly settings: Readonly<Record<string, string>>;
}

/** What the thread tells its parent. */
export type EmbeddedWorkerMessage = { kind: 'ready'; url: string } | { kind: 'closed' } | EmbeddedMemoryMessage;

/** The thread's own memory, asked for with the message `memory`: its V8 heap and PGlite's WebAssembly heap. */
export interface EmbeddedMemoryMessage {
  readonly kind: 'memory';
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  /** The WebAssembly memory's size; it grows with the database's needs and never shrinks. */
  readonly wasmBytes: number;
  /**
   * The thread's id in the operating system (Linux), or null: what a meter outside the process reads the
   * database thread's own CPU time by (/proc/<pid>/task/<id>/stat).
   */
  readonly osThreadId: number | null;
}
