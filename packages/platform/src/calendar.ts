// Japan's calendar day: the day an agency's record is dated by and a date argument is judged against, whatever
// the time zone of the server or the database.

/** Japan Standard Time is UTC+9 all year (no daylight saving). */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `now` moved by Japan's offset: its UTC fields (getUTCFullYear, getUTCDate, …) read Japan's calendar and clock. */
export const inJapan = (now: Date): Date => new Date(now.getTime() + JST_OFFSET_MS);

/** Today in Japan (Asia/Tokyo) as YYYY-MM-DD: from 15:00 UTC it is already the next day. */
export function todayInJapan(now = new Date()): string {
  return inJapan(now).toISOString().slice(0, 10);
}
