-- A password set by someone else (an administrator's reset or a new account) must be
-- changed by its owner at the next sign-in (issue 20).
alter table app_user add column must_change_password boolean not null default false;
