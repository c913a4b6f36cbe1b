-- A day is a day of Japan's calendar, whatever the database's time zone: from 15:00 UTC it is already the next
-- day in Tokyo, which current_date (the database's day) would not yet say.

alter table employment.job_opening alter column posted_on set default (now() at time zone 'Asia/Tokyo')::date;
