-- Personal agendas, reminder settings, and the outbox: the one road out.
ALTER TABLE users ADD COLUMN lead_minutes INTEGER DEFAULT 15;
ALTER TABLE users ADD COLUMN everyone_reminders INTEGER NOT NULL DEFAULT 1;
CREATE TABLE choices (
    user_id     INTEGER NOT NULL,
    session_id  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (user_id, session_id)
);
CREATE INDEX choices_by_session ON choices (session_id);
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    chat_id         INTEGER NOT NULL,
    priority        INTEGER NOT NULL DEFAULT 0,
    payload         TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    not_after       TEXT,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    batch           TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT,
    message_id      INTEGER,
    error           TEXT
);
CREATE INDEX outbox_pending ON outbox (state, priority, due_at);
CREATE INDEX outbox_chat ON outbox (chat_id, state);
CREATE INDEX outbox_batch ON outbox (batch, state);
