-- The yearly inspection plan as a document with its rows, and the body that leads each
-- inspection (cơ quan chủ trì kiểm tra: Sở Nội vụ for the province's plan, a department
-- for its own units). Lock-step with the other backend's 0024 file.
--
-- inspection_plan_item: one planned inspection (target unit, subjects, month); its
--   inspection_id is set when the inspection is decided and begins (Dự kiến until then).
-- lead_agency_id of the inspections already recorded: their author's agency.

alter table inspection_plan add column lead_agency_id integer references agency(id);
alter table inspection add column lead_agency_id integer references agency(id);
update inspection set lead_agency_id = (select u.agency_id from app_user u where u.id = inspection.created_by);
create index inspection_lead_idx on inspection(lead_agency_id, decision_date);

create table inspection_plan_item (
    id integer primary key,
    plan_id integer not null references inspection_plan(id) on delete cascade,
    seq integer not null,
    target_agency_id integer not null references agency(id),
    subjects text not null default '',
    planned_month integer not null,
    inspection_id integer references inspection(id)
);
create unique index inspection_plan_item_seq_idx on inspection_plan_item(plan_id, seq);
create unique index inspection_plan_item_inspection_idx on inspection_plan_item(inspection_id);
