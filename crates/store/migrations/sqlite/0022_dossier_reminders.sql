-- Reminders of one-stop dossiers (app::dossier::remind): a notification may concern a
-- dossier, and a rule fires once per user, dossier and deadline (a new deadline after an
-- apology or a supplement is reminded again). Lock-step with the other backend's 0022.

alter table notification add column dossier_id integer references dossier(id) on delete cascade;
create unique index notification_dossier_once_idx on notification(user_id, dossier_id, rule)
    where dossier_id is not null;
