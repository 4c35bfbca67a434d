-- Users: who talks to the bot, their language, and whether they blocked it.
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,
    language    TEXT,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    blocked_at  TEXT
);
