-- Organiser broadcasts: the message is stored once here; its deliveries are outbox rows of kind
-- 'broadcast' whose batch is this id, so 10,000 rows do not each carry the text.
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    created_by          INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    due_at              TEXT NOT NULL,
    audience            TEXT NOT NULL,
    audience_label      TEXT NOT NULL,
    content_kind        TEXT NOT NULL,
    body                TEXT NOT NULL,
    file_id             TEXT,
    paid                INTEGER NOT NULL DEFAULT 0,
    recipients          INTEGER NOT NULL,
    progress_chat_id    INTEGER,
    progress_message_id INTEGER,
    cancelled_at        TEXT,
    finished_at         TEXT
);
CREATE INDEX broadcasts_open ON broadcasts (finished_at);
