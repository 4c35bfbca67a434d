# confbot: production image. Build: docker build -t confbot .
# Run:   docker run -e TELEGRAM_BOT_TOKEN=... -v $PWD/content:/app/content -v confbot-data:/app/data confbot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CONFBOT_CONTENT=/app/content \
    CONFBOT_DB=/app/data/confbot.sqlite3

WORKDIR /app
# Dependencies first, from the production lock and checked against its hashes (their own layer,
# rebuilt only when the lock changes); then confbot itself, which cannot carry a hash, without
# dependencies and built with the locked setuptools instead of an unpinned one.
COPY requirements/production.txt ./requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/production.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
    && useradd --create-home --uid 10001 confbot \
    && mkdir -p /app/data /app/content \
    && chown -R confbot:confbot /app/data
COPY --chown=confbot:confbot content ./content

USER confbot
# The event's YAML (edit, then /reload or SIGHUP) and the SQLite database live outside the image.
VOLUME ["/app/content", "/app/data"]
# The listener of webhook mode, /healthz and /metrics (CONFBOT_LISTEN, README: Production).
EXPOSE 8080
# TELEGRAM_BOT_TOKEN comes from the environment at run time, never from the image.
CMD ["python", "-m", "bot", "run"]
