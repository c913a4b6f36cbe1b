// The argument rules every service shares: page sizes, cursors and free-text lengths, each refused with
// BAD_USER_INPUT naming the argument and a reason (OUT_OF_RANGE, INVALID_CURSOR, INVALID_LENGTH).

import { ERRORS } from './errors.js';
import { isUuid } from './ids.js';

/** The most items one page of any list holds. */
export const MAX_PAGE = 200;

/** The longest free text (a summary, a note, a reason) any service records. */
export const MAX_TEXT = 2000;

/** The longest one line naming something: a title, an address, an agency's name or kind, a reference, an institution. */
export const MAX_LINE = 200;

/** The longest name of a person (or its kana), a supporter or a nearby place. */
export const MAX_NAME = 100;

/** The longest goal of a support plan. */
export const MAX_GOAL = 500;

/** The longest phone number, as written (digits, hyphens, an extension). */
export const MAX_PHONE = 30;

/** The most persons one DV transfer takes with her (同伴者): the gateway checks it, and child-dv again. */
export const MAX_COMPANIONS = 10;

/** `first` as asked (or `fallback`), from 1 to `max`; anything else is BAD_USER_INPUT (OUT_OF_RANGE). */
export function pageSize(first: number | null | undefined, fallback = 50, max = MAX_PAGE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw ERRORS.BAD_USER_INPUT.err(`first is 1 to ${max}`, { argument: 'first', reason: 'OUT_OF_RANGE' });
  }
  return n;
}

/** A list's `after` that is not one of its items (`item`: what it should have named): never an empty page. */
export function notOfThisList(item: string): never {
  throw ERRORS.BAD_USER_INPUT.err(`after is not ${item}`, { argument: 'after', reason: 'INVALID_CURSOR' });
}

/** A list's `after` as the id of its last item on the page before (null: the first page); refused unless a UUID. */
export function afterId(after: string | null | undefined, item: string): string | null {
  if (after == null) return null;
  const id = after.toLowerCase();
  return isUuid(id) ? id : notOfThisList(item);
}

/** A list's `first` and `after`, as asked. */
export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

/** A page as checked: its size, and the id of the last item of the page before (null: the first page). */
export interface Page {
  readonly first: number;
  readonly after: string | null;
}

/** `first` (pageSize) and `after` (afterId: `item` says what it should name) of a list that pages as the queues do. */
export function pageOf(args: PageArgs, item: string, fallback = 50): Page {
  return { first: pageSize(args.first, fallback), after: afterId(args.after, item) };
}

/**
 * One page of a list that pages as the queues do: `read` is given the checked page (pageOf) and answers null
 * when `after` is not an item of its list, which is refused INVALID_CURSOR (never an empty page).
 */
export async function listPage<T>(
  args: PageArgs,
  item: string,
  read: (page: Page) => Promise<T[] | null>,
  fallback = 50,
): Promise<T[]> {
  return (await read(pageOf(args, item, fallback))) ?? notOfThisList(item);
}

// Control characters (a NUL no column holds, line breaks, escapes; the C1 set with its next-line U+0085),
// the line and paragraph separators (U+2028, U+2029), the bidirectional marks, overrides and isolates that
// make a text read other than it is (U+061C, U+200E, U+200F, U+202A–E, U+2066–9), the byte-order mark, and half
// of a surrogate pair (no character at all: with the `u` flag a whole pair is one code point and does not match).
const NOT_PLAIN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/u;

/**
 * Whether a text is one line of plain text, read as it is written: what a person is shown of a request
 * (its stated purpose, a consent's purpose, the staff member's id) holds nothing else. The joiners emoji and
 * some scripts are written with (👨‍👩‍👧) are text here.
 */
export function isPlainLine(text: string): boolean {
  return !NOT_PLAIN.test(text);
}

// What a name may not hold besides: any character that shows as nothing, a format character (\p{Cf}: a
// zero-width space, joiner or word joiner, a soft hyphen) or another Unicode says to ignore in display
// (Default_Ignorable_Code_Point: the combining grapheme joiner, the Hangul fillers U+115F, U+1160, U+3164,
// U+FFA0, tags; and the blank Braille pattern U+2800), which would make a name hold more than it shows; but a
// variation selector (U+FE00–FE0F, U+E0100–E01EF) right after the character whose form it chooses (葛󠄀), one
// only: at the start, after a space or after another, it chooses nothing.
const SELECTOR = '[\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}]';
const SHOWS_AS_NOTHING = new RegExp(
  `(?!${SELECTOR})[\\p{Cf}\\p{Default_Ignorable_Code_Point}\\u2800]|(?:^|[\\s\\p{Cf}]|${SELECTOR})${SELECTOR}`,
  'u',
);

// What free text (a summary, a note, a reason, a name) may not hold: the characters above but the tab and
// line breaks, which a note of several lines needs.
const NOT_FREE_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/u;

// Characters that show as nothing: a text of these alone (and spaces) says nothing, as an empty one. Marks
// (combining, nonspacing) with no letter to sit on, the Hangul fillers and the blank Braille pattern among them.
const INVISIBLE = /[\s\p{Cf}\p{M}\u115f\u1160\u2800\u3164\uffa0]/gu;

/** Whether a text shows nothing: empty, or spaces and invisible characters alone. */
export function isBlank(text: string): boolean {
  return !text.replace(INVISIBLE, '');
}

/**
 * Free text as recorded and shown to whoever reads it: without control characters but line breaks and
 * tabs, and without the marks that make it read other than it is (INVALID_TEXT).
 */
export function freeText(text: string, argument: string): string {
  if (NOT_FREE_TEXT.test(text)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} holds control or direction characters`, {
      argument,
      reason: 'INVALID_TEXT',
    });
  }
  return text;
}

/**
 * Whether a text holds more than `max` characters, counted as a reader counts them (and as PostgreSQL's
 * `char_length` and the `X-Hub-Purpose` check do): code points, so an emoji or a rare kanji outside the BMP is one,
 * not the two UTF-16 units of its surrogate pair.
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  let characters = 0;
  for (const _ of text) if (++characters > max) return true;
  return false;
}

/** Trimmed text of 1 to `max` characters, some of them visible (INVALID_LENGTH otherwise; INVALID_TEXT, see freeText). */
export function requiredText(value: string, argument: string, max = MAX_TEXT): string {
  // Checked before trimming: a byte-order mark or a line separator where the text begins or ends is refused as
  // anywhere else, not trimmed away unseen (String.prototype.trim counts both as space).
  const text = freeText(value, argument).trim();
  if (isBlank(text) || longerThan(text, max)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is 1 to ${max} characters`, { argument, reason: 'INVALID_LENGTH' });
  }
  return text;
}

/** Trimmed text of at most `max` characters, or null when empty or absent (INVALID_LENGTH when longer). */
export function optionalText(value: string | null | undefined, argument: string, max = MAX_TEXT): string | null {
  const text = value == null ? '' : freeText(value, argument).trim();
  if (longerThan(text, max)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is at most ${max} characters`, { argument, reason: 'INVALID_LENGTH' });
  }
  return isBlank(text) ? null : text;
}

/** Refuses a text that is not one line of plain text (INVALID_TEXT), saying what it may not hold. */
function notOneLine(argument: string, without: string): never {
  throw ERRORS.BAD_USER_INPUT.err(`${argument} is one line of text, without ${without}`, {
    argument,
    reason: 'INVALID_TEXT',
  });
}

/**
 * A name (a person's, a guardian's, an agency's, a centre's): one line of plain text holding nothing that
 * does not show (INVALID_TEXT otherwise).
 */
function line(text: string, argument: string): string {
  if (!isPlainLine(text) || SHOWS_AS_NOTHING.test(text)) {
    notOneLine(argument, 'control, direction or invisible characters');
  }
  return text;
}

/** requiredText of one line: a name. */
export function requiredLine(value: string, argument: string, max = MAX_TEXT): string {
  return line(requiredText(value, argument, max), argument);
}

/** optionalText of one line: a name that may be left out. */
export function optionalLine(value: string | null | undefined, argument: string, max = MAX_TEXT): string | null {
  const text = optionalText(value, argument, max);
  return text === null ? null : line(text, argument);
}

/**
 * optionalText of one line of plain text: a staff id, as a token's `sub` is (isPlainLine), compared with
 * another without what does not show (permissions.ts, sameStaff).
 */
export function optionalStaffId(value: string | null | undefined, argument: string, max = MAX_TEXT): string | null {
  const text = optionalText(value, argument, max);
  if (text !== null && !isPlainLine(text)) notOneLine(argument, 'control or direction characters');
  return text;
}
