-- The interface language a person chose with /language (NULL: follow their Telegram app's
-- language, else the event's). It lives on the users row, so /forget deletes it with the rest.
ALTER TABLE users ADD COLUMN chosen_language TEXT;
