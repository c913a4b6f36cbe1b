// Japan's calendar day: the day an agency's record is dated by and a date argument is judged against, whatever
// the time zone of the server or the database.

/** Today in Japan (Asia/Tokyo, UTC+9 all year) as YYYY-MM-DD: from 15:00 UTC it is already the next day. */
export function todayInJapan(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(now);
}
