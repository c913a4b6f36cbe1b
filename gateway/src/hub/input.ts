// The hub's argument rules, shared by its resolvers: text lengths and page sizes, each refused with
// BAD_USER_INPUT naming the argument.

import { ERRORS } from '@hub/platform';

export const MAX_TEXT = 2000;

/** Trimmed text of 1 to `max` characters. */
export function requiredText(value: string, argument: string, max = MAX_TEXT): string {
  const text = value.trim();
  if (!text || text.length > max) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is 1 to ${max} characters`, { argument, reason: 'INVALID_LENGTH' });
  }
  return text;
}

/** Trimmed text of at most `max` characters, or null when empty or absent. */
export function optionalText(value: string | null | undefined, argument: string, max = MAX_TEXT): string | null {
  const text = value?.trim() ?? '';
  if (text.length > max) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is at most ${max} characters`, { argument, reason: 'INVALID_LENGTH' });
  }
  return text || null;
}

/** A page size `first` of 1 to `max` (200), `fallback` when absent: the platform's, shared with the subgraphs. */
export { pageSize } from '@hub/platform';
