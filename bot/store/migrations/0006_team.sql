-- The team beyond the environment's ids: roles granted through invites (and who granted them,
-- when), the name a team member is shown by, one-time invites and the audit log.
-- A row of team_members with a NULL role is someone who is or was on the team (configured in
-- the environment, or revoked) whose name the audit log and /team still show.
CREATE TABLE team_members (
    user_id    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    role       TEXT CHECK (role IN ('staff', 'organiser')),
    granted_by INTEGER,
    granted_at TEXT,
    seen_at    TEXT NOT NULL
);
-- Only a hash of the code is kept: the database does not hold a working link.
CREATE TABLE team_invites (
    code_hash  TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('staff', 'organiser')),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    used_by    INTEGER
);
-- Every staff and organiser action: who (actor), what (action), about which team member if
-- any (subject), and short JSON details that name no attendee.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   INTEGER NOT NULL,
    action  TEXT NOT NULL,
    subject INTEGER,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_subject ON audit_log (subject);
