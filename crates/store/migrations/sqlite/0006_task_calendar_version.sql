-- The calendar version that computed a task's working-day-adjusted deadline (occurrences
-- of recurring tasks), so a change of the calendar can find and recompute them.

alter table task add column calendar_version text;
