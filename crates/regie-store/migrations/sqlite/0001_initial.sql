-- Regie's first schema, SQLite dialect. The PostgreSQL twin is ../postgres/0001_initial.sql:
-- same tables, same columns, same constraints; only the types and identity columns differ.
-- Portable through sqlx's `Any` driver: dates are ISO 8601 TEXT ("2027-01-04T08:00:00", local
-- civil time of the project), instants are INTEGER milliseconds since the Unix epoch, flags are
-- INTEGER 0/1, money is INTEGER cents, lists that are only ever read whole are JSON TEXT.

CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT,
    -- An argon2id PHC string; NULL: the account cannot log in with a password.
    password_hash TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- The organisation of a client-side user.
    client_id INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    anchor_kind TEXT NOT NULL CHECK (anchor_kind IN ('start', 'finish')),
    anchor_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    currency TEXT NOT NULL,
    status_date TEXT,
    -- The project calendar. NULL only while the project's rows are being inserted.
    calendar_id INTEGER REFERENCES calendars (id),
    minutes_per_day INTEGER NOT NULL CHECK (minutes_per_day > 0),
    minutes_per_week INTEGER NOT NULL CHECK (minutes_per_week > 0),
    days_per_month INTEGER NOT NULL CHECK (days_per_month > 0),
    honor_constraints INTEGER NOT NULL CHECK (honor_constraints IN (0, 1)),
    phase TEXT,
    client_id INTEGER REFERENCES clients (id),
    -- The finish date agreed with the client (ISO date).
    client_deadline TEXT,
    -- Bumped in the same transaction as every change to the project or anything in it.
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    uid TEXT NOT NULL,
    name TEXT NOT NULL,
    base_id INTEGER REFERENCES calendars (id),
    -- JSON, Monday first: 7 entries, each null (as the base calendar) or [[start, end], ...] in
    -- minutes from midnight ([] = not worked).
    week TEXT NOT NULL,
    UNIQUE (project_id, position)
) STRICT;

CREATE TABLE calendar_exceptions (
    id INTEGER PRIMARY KEY,
    calendar_id INTEGER NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- JSON: {"range": {...}} | {"yearly": {...}} | {"weekly": {...}}.
    rule TEXT NOT NULL,
    -- JSON [[start, end], ...]; [] = not worked.
    shifts TEXT NOT NULL
) STRICT;
CREATE INDEX calendar_exceptions_calendar ON calendar_exceptions (calendar_id, position);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- Outline (pre-)order: a parent before its children. Gaps are allowed.
    position INTEGER NOT NULL,
    uid TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES tasks (id),
    milestone INTEGER NOT NULL CHECK (milestone IN (0, 1)),
    duration_minutes INTEGER NOT NULL,
    duration_elapsed INTEGER NOT NULL CHECK (duration_elapsed IN (0, 1)),
    work_minutes INTEGER,
    task_type TEXT NOT NULL CHECK (task_type IN ('fixed-units', 'fixed-duration', 'fixed-work')),
    effort_driven INTEGER NOT NULL CHECK (effort_driven IN (0, 1)),
    constraint_kind TEXT NOT NULL CHECK (constraint_kind IN ('asap', 'alap', 'snet', 'snlt', 'fnet', 'fnlt', 'mso', 'mfo')),
    constraint_date TEXT,
    deadline TEXT,
    priority INTEGER NOT NULL CHECK (priority >= 0),
    calendar_id INTEGER REFERENCES calendars (id),
    notes TEXT NOT NULL,
    percent_complete INTEGER NOT NULL CHECK (percent_complete BETWEEN 0 AND 100),
    actual_start TEXT,
    actual_finish TEXT,
    manual_start TEXT,
    manual_finish TEXT,
    -- JSON [[after, pause], ...] in working minutes (split tasks).
    splits TEXT NOT NULL DEFAULT '[]',
    UNIQUE (project_id, uid)
) STRICT;
CREATE INDEX tasks_project_position ON tasks (project_id, position);
CREATE INDEX tasks_parent ON tasks (parent_id);

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    pred_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    succ_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('FS', 'SS', 'FF', 'SF')),
    lag_kind TEXT NOT NULL CHECK (lag_kind IN ('working', 'elapsed', 'percent')),
    lag_value INTEGER NOT NULL,
    UNIQUE (pred_id, succ_id),
    CHECK (pred_id <> succ_id)
) STRICT;
CREATE INDEX links_project_position ON links (project_id, position);
CREATE INDEX links_succ ON links (succ_id);

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    uid TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('work', 'material', 'cost')),
    max_units INTEGER NOT NULL CHECK (max_units >= 0),
    calendar_id INTEGER REFERENCES calendars (id),
    standard_rate_cents INTEGER NOT NULL,
    overtime_rate_cents INTEGER NOT NULL,
    per_use_cents INTEGER NOT NULL,
    email TEXT,
    group_name TEXT,
    UNIQUE (project_id, uid)
) STRICT;
CREATE INDEX resources_project_position ON resources (project_id, position);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    units INTEGER NOT NULL CHECK (units >= 0),
    work_minutes INTEGER,
    UNIQUE (task_id, resource_id)
) STRICT;
CREATE INDEX assignments_project_position ON assignments (project_id, position);
CREATE INDEX assignments_resource ON assignments (resource_id);

CREATE TABLE memberships (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('sponsor', 'project-manager', 'team-member', 'client')),
    PRIMARY KEY (project_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

-- Only a hash of the session id is stored: a leaked database does not hand out live sessions.
-- `user_id` is NULL for a session opened before login (it still carries a CSRF token).
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at INTEGER NOT NULL,
    -- The project version this change produced.
    version INTEGER NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    old_value TEXT,
    new_value TEXT
) STRICT;
CREATE INDEX audit_log_project ON audit_log (project_id, id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    at INTEGER NOT NULL,
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))
) STRICT;
CREATE INDEX login_attempts_login ON login_attempts (login, at);
CREATE INDEX login_attempts_remote ON login_attempts (remote_addr, at);
