-- Foundation: agencies (with history), users and roles, sessions, login attempts, audit log.
-- Kept in lock-step with ../postgres/0001_foundation.sql (a test compares both schemas).

create table agency (
    id integer primary key,
    code text not null unique,
    parent_id integer references agency(id),
    path text not null,
    depth integer not null,
    kind text not null,
    name text not null,
    short_name text not null,
    valid_from date not null,
    valid_to date,
    merged_into_id integer references agency(id),
    legal_basis text,
    active boolean not null,
    search_text text not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index agency_parent_idx on agency(parent_id);
create index agency_path_idx on agency(path);

create table app_user (
    id integer primary key,
    username text not null unique,
    full_name text not null,
    title text,
    email text,
    phone text,
    password_hash text not null,
    agency_id integer not null references agency(id),
    active boolean not null,
    search_text text not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index app_user_agency_idx on app_user(agency_id);

create table user_role (
    user_id integer not null references app_user(id) on delete cascade,
    role text not null,
    primary key (user_id, role)
);

create table session (
    token_hash text primary key,
    user_id integer not null references app_user(id) on delete cascade,
    kind text not null,
    csrf_token text not null,
    created_at timestamp not null,
    expires_at timestamp not null,
    last_seen_at timestamp not null
);
create index session_user_idx on session(user_id);

create table login_attempt (
    id integer primary key,
    username text not null,
    ip text,
    at timestamp not null,
    success boolean not null
);
create index login_attempt_user_at_idx on login_attempt(username, at);

create table audit_log (
    id integer primary key,
    at timestamp not null,
    user_id integer,
    username text,
    action text not null,
    entity text not null,
    entity_id text,
    summary text not null,
    before_json text,
    after_json text,
    ip text
);
create index audit_log_entity_idx on audit_log(entity, entity_id);
create index audit_log_at_idx on audit_log(at);

create trigger audit_log_no_update before update on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
