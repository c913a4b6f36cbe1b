// Japan's calendar day: the day an agency's record is dated by and a date argument is judged against, whatever
// the time zone of the server or the database.

import { ERRORS } from './errors.js';

/** Japan Standard Time is UTC+9 all year (no daylight saving). */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `now` moved by Japan's offset: its UTC fields (getUTCFullYear, getUTCDate, …) read Japan's calendar and clock. */
export const inJapan = (now: Date): Date => new Date(now.getTime() + JST_OFFSET_MS);

/** Today in Japan (Asia/Tokyo) as YYYY-MM-DD: from 15:00 UTC it is already the next day. */
export function todayInJapan(now = new Date()): string {
  return inJapan(now).toISOString().slice(0, 10);
}

/**
 * When a person born on `birthDate` (YYYY-MM-DD) reaches `years` of age: 00:00 in Japan on that birthday, as
 * ageOn counts (one born on 29 February, on 1 March of a common year).
 */
export function comingOfAge(birthDate: string, years: number): Date {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d) - JST_OFFSET_MS);
}

/**
 * Whole years between a birth date and `now`, on Japan's calendar: a person born on 2 December is a year
 * older from 00:00 JST on that day (15:00 UTC the day before), as the municipality counts it.
 */
export function ageOn(birthDate: string, now: Date): number {
  return ageOnDay(birthDate, todayInJapan(now));
}

/** Whole years between a birth date and a day of Japan's calendar (both YYYY-MM-DD): a year older on the birthday. */
export function ageOnDay(birthDate: string, day: string): number {
  const age = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? age - 1 : age;
}

/** No record an agency keeps goes back further: a day more than this many years ago is a slip (0001 for 2001). */
const RECORDS_KEPT_YEARS = 100;

/** The same day of Japan's calendar `years` later (earlier when negative), as YYYY-MM-DD, for comparing days. */
function yearsFrom(day: string, years: number): string {
  return `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`;
}

/**
 * A day an agency records (a start, a date joined, a date since), refused when it is further from today in
 * Japan than the record can be: `pastYears` back (TOO_FAR_IN_THE_PAST; RECORDS_KEPT_YEARS unless told) and
 * `aheadYears` on (IN_THE_FUTURE
 * when nothing ahead is allowed, TOO_FAR_IN_THE_FUTURE otherwise). A slip such as 0001 or 9999 would stand in
 * the record for ever: a start years ahead counts toward a bound now.
 */
export function recordedDay(
  day: string,
  argument: string,
  { pastYears = RECORDS_KEPT_YEARS, aheadYears }: { pastYears?: number; aheadYears: number },
  today = todayInJapan(),
): string {
  if (day > yearsFrom(today, aheadYears)) {
    throw aheadYears === 0
      ? ERRORS.BAD_USER_INPUT.err(`${argument} is in the future`, { argument, reason: 'IN_THE_FUTURE' })
      : ERRORS.BAD_USER_INPUT.err(`${argument} is more than ${aheadYears} year(s) ahead`, {
          argument,
          reason: 'TOO_FAR_IN_THE_FUTURE',
        });
  }
  if (day < yearsFrom(today, -pastYears)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is more than ${pastYears} years ago`, {
      argument,
      reason: 'TOO_FAR_IN_THE_PAST',
    });
  }
  return day;
}
