-- When an agency is dissolved or merged (valid_to passed, merged_into set), its open tasks
-- move to the successor; the lead before the first move is kept here so that history and
-- period statistics can still name it. Lock-step with the other backend's 0009.

alter table task add column transferred_from_id bigint references agency(id);
