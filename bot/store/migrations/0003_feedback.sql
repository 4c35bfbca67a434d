-- Feedback: answers under a pseudonymous key (never the user id), the respondents' optional
-- group, follow-up opt-ins, the short-lived "next text is a comment" state, the door-QR openers
-- that are prompted like choosers, and a small key/value table for store-kept settings.
CREATE TABLE IF NOT EXISTS settings (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
CREATE TABLE feedback_answers (
    session_id  TEXT NOT NULL,
    respondent  TEXT NOT NULL,
    rating      INTEGER CHECK (rating BETWEEN 1 AND 5),
    attended    INTEGER NOT NULL DEFAULT 1,
    comment     TEXT,
    answers     TEXT NOT NULL DEFAULT '{}',
    answered_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, respondent)
);
CREATE INDEX feedback_answers_by_respondent ON feedback_answers (respondent);
CREATE TABLE feedback_respondents (
    respondent      TEXT PRIMARY KEY,
    grp             TEXT,
    group_asked_at  TEXT
);
CREATE TABLE feedback_follow_up (
    user_id     INTEGER PRIMARY KEY,
    opted_in_at TEXT NOT NULL
);
CREATE TABLE feedback_pending_comments (
    user_id     INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE TABLE session_openers (
    user_id     INTEGER NOT NULL,
    session_id  TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, session_id)
);
