// A refused configuration: one line per bad variable (`NAME: what is wrong`), all of them at once.

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One line per bad variable, `NAME: what is wrong`. */
  readonly problems: readonly string[];

  /** A message of its own, or the lines of `invalid configuration`, one per bad variable. */
  constructor(message: string | readonly string[]) {
    super(typeof message === 'string' ? message : `invalid configuration\n  ${message.join('\n  ')}`);
    this.problems = typeof message === 'string' ? [message] : message;
  }
}

/** One line of a ConfigError: `NAME: what is wrong`. */
export const problemOf = (variable: string, problem: string): string => `${variable}: ${problem}`;

export function refuse(variable: string, problem: string): never {
  throw new ConfigError([problemOf(variable, problem)]);
}

/**
 * Reads the parts of the configuration one after another and throws one ConfigError naming every
 * part's problem, so a deployment learns all it must set from one start rather than one at a time.
 */
export function readParts<T extends Record<string, unknown>>(parts: { [K in keyof T]: () => T[K] }): T {
  const problems: string[] = [];
  const read = {} as T;
  for (const key of Object.keys(parts) as (keyof T)[]) {
    try {
      read[key] = parts[key]();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return read;
}
