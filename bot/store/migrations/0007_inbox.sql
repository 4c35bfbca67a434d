-- Questions the bot could not answer, passed on to the organisers by the person who asked.
-- They name the person (user id and a display name): deleted by /forget and at the retention
-- deadline. A claim (claimed_by, claim_expires) lets one staff member reply at a time.
CREATE TABLE inbox_questions (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL,
    asker_name    TEXT NOT NULL,
    language      TEXT NOT NULL,
    text          TEXT NOT NULL,
    guesses       TEXT NOT NULL DEFAULT '[]',
    asked_at      TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open',
    claimed_by    INTEGER,
    claimed_name  TEXT,
    claim_expires TEXT,
    answer        TEXT,
    answered_by   INTEGER,
    answered_name TEXT,
    answered_at   TEXT
);
CREATE INDEX inbox_questions_state ON inbox_questions (state, id);
CREATE INDEX inbox_questions_user ON inbox_questions (user_id, asked_at);
CREATE INDEX inbox_questions_claimer ON inbox_questions (claimed_by);

-- People whose questions a staff member marked as spam: their later questions are not queued.
CREATE TABLE inbox_muted (
    user_id  INTEGER PRIMARY KEY,
    muted_at TEXT NOT NULL
);

-- Answers staff turned into FAQ entries, on top of faq.yaml. The author is unlinked by /forget
-- and at the retention deadline; the question and answer stay, as the event's content.
CREATE TABLE faq_added (
    id            INTEGER PRIMARY KEY,
    question      TEXT NOT NULL,
    answer        TEXT NOT NULL,
    language      TEXT NOT NULL,
    source_id     INTEGER UNIQUE,
    added_by      INTEGER,
    added_by_name TEXT,
    added_at      TEXT NOT NULL
);

-- The outcome of every free-text question, for /insights: no user id, no text.
CREATE TABLE ask_log (
    id       INTEGER PRIMARY KEY,
    hour     TEXT NOT NULL,
    language TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    ref      TEXT
);
CREATE INDEX ask_log_hour ON ask_log (hour);
