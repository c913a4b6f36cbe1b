// X-Hub-Purpose: the purpose a request states, recorded with each of its decisions and shown to the
// person (CONTRACT.md "Seeing the decisions").

import { isUtf8 } from 'node:buffer';
import { ERRORS, isBlank, isPlainLine, longerThan } from '@hub/platform';

/** The longest purpose a request may state, in characters. */
export const MAX_PURPOSE_LENGTH = 500;

// A run of %XX escapes, as a percent-encoding client writes each character's UTF-8 bytes.
const ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;

/**
 * X-Hub-Purpose as the caller meant it. Each run of `%XX` escapes that spells UTF-8 is decoded, and
 * anything else is taken as it is: `100% sure` stays, `%E6%94%AF%E6%8F%B4` is 支援, and so is the
 * second half of `50% 支%E6%8F%B4`; in `%E6%94%AF%FF` the first three escapes are 支 and `%FF` stays. Node reads header bytes as latin1, so raw UTF-8 (支援プラン作成 sent
 * unencoded) is read back as UTF-8 rather than stored as mojibake.
 */
export function statedPurpose(raw: string): string {
  const bytes = Buffer.from(raw, 'latin1');
  const text = /[\x80-\xff]/.test(raw) && isUtf8(bytes) ? bytes.toString('utf8') : raw;
  return text.replace(ESCAPES, decodeRun);
}

/** The length of the UTF-8 sequence a lead byte starts, or 0 for a byte that starts none. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * A run of escapes with every character that spells UTF-8 decoded, and every escape that is no part of
 * one kept as written: `%E6%94%AF%FF` is `支%FF`.
 */
function decodeRun(run: string): string {
  const escapes = run.match(/%[0-9a-fA-F]{2}/g)!;
  const bytes = escapes.map((escape) => parseInt(escape.slice(1), 16));
  let decoded = '';
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes[i]!);
    const sequence = length && i + length <= bytes.length ? Buffer.from(bytes.slice(i, i + length)) : null;
    if (sequence && isUtf8(sequence)) {
      decoded += sequence.toString('utf8');
      i += length;
    } else {
      decoded += escapes[i];
      i += 1;
    }
  }
  return decoded;
}

/**
 * The purpose a request states in its X-Hub-Purpose headers (as Node keeps them apart), or null for none.
 * Refused with 400 BAD_REQUEST, before anything is read: over MAX_PURPOSE_LENGTH (PURPOSE_TOO_LONG); sent
 * twice, raw bytes that are not UTF-8, a character a line of plain text does not hold, or nothing but spaces
 * and invisible characters (PURPOSE_INVALID), for none of these says what the caller meant.
 */
export function requestPurpose(values: readonly string[] | undefined): string | null {
  if (!values?.length) return null;
  if (values.length > 1) refuse('X-Hub-Purpose is sent once');
  const raw = values[0]!;
  if (!raw) return null;
  if (/[\x80-\xff]/.test(raw) && !isUtf8(Buffer.from(raw, 'latin1'))) {
    refuse('X-Hub-Purpose is UTF-8 text, raw or percent-encoded');
  }
  const purpose = statedPurpose(raw);
  if (longerThan(purpose, MAX_PURPOSE_LENGTH)) {
    throw ERRORS.BAD_REQUEST.err(`X-Hub-Purpose is at most ${MAX_PURPOSE_LENGTH} characters`, {
      reason: 'PURPOSE_TOO_LONG',
    });
  }
  if (!isPlainLine(purpose)) refuse('X-Hub-Purpose is one line of text, without control or direction characters');
  // Spaces or invisible characters alone state no purpose, and would be shown to the person as one.
  if (isBlank(purpose)) refuse('X-Hub-Purpose says nothing: state the purpose, or send no header');
  return purpose;
}

function refuse(message: string): never {
  throw ERRORS.BAD_REQUEST.err(message, { reason: 'PURPOSE_INVALID' });
}
