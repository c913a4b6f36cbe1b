-- An assignment called off before it started (endAssignment before its start day, 取消) was no work: it is
-- marked, so that no dashboard counts it. One that started and ended on its first day keeps ended_on =
-- started_on too, which alone could not tell the two apart. Assignments cancelled before this release stay
-- unmarked; a release before this one writes no column and marks none.

alter table seniors_work.assignment add column cancelled boolean not null default false;
