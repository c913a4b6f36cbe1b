-- 初期対応: when the receiving agency first responded to an urgent report. The notices' rule for a child-abuse
-- report is measured from it (通告受理後48時間以内の安全確認: the child's safety confirmed within 48 hours of
-- receipt). triaged_at was written again by every triage, so the first response was lost as soon as the report
-- moved on. It is now set once, at the first triage, and updated_at says when the report was last triaged. The
-- trigger below holds that whatever release writes the row (an older one, during a rolling upgrade, writes
-- triaged_at on every triage). A report triaged before this column existed keeps the time of its last triage
-- as triaged_at, and as updated_at: its first is not known.

alter table child_dv.abuse_report add column updated_at timestamptz;
update child_dv.abuse_report set updated_at = triaged_at where triaged_at is not null;

create function child_dv.first_triage_kept() returns trigger
language plpgsql as $$
begin
  if old.triaged_at is not null then
    new.triaged_at := old.triaged_at;
  end if;
  if new.triaged_at is not null then
    new.updated_at := now();
  end if;
  return new;
end
$$;

create trigger abuse_report_first_triage
  before update of status, triaged_at, triage_note on child_dv.abuse_report
  for each row execute function child_dv.first_triage_kept();
