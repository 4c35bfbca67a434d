# confbot: production image. It has not been built on the development machines (they have no
# Docker engine); tests/test_dockerfile.py checks what this file promises instead.
# Build and run with compose (see README, "Production set-up, step by step"):
#   cp .env.example .env   # then fill in TELEGRAM_BOT_TOKEN; .env is never committed
#   docker compose up -d
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CONFBOT_CONTENT=/app/content \
    CONFBOT_DB=/data/confbot.sqlite3
# The bot's HTTP listener (webhook, /healthz): the HEALTHCHECK below asks it.
ENV CONFBOT_LISTEN=0.0.0.0:8080
# matplotlib's font cache, built below, so that a read-only container never rebuilds it.
ENV MPLCONFIGDIR=/home/confbot/.cache/matplotlib

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
    && groupadd --gid 10001 confbot \
    && useradd --create-home --uid 10001 --gid 10001 confbot \
    && mkdir -p /data \
    && chown confbot:confbot /data
# The bundled event; compose mounts the organisers' content/ over it (read-only).
COPY content ./content

# Never root: the bot needs to write nothing but its database in /data.
USER 10001:10001
RUN python -c "import matplotlib.font_manager"

# The SQLite database (and its -wal and -shm files, and backups made with python -m bot backup)
# lives in a volume, outside the image and its layers.
VOLUME ["/data"]
EXPOSE 8080

# /healthz answers 200 when the bot reports itself healthy, 503 when not (bot/web.py); a 503,
# a refused connection or a timeout makes urlopen raise, and the check fail. Python's urllib,
# because the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

# SIGTERM stops the bot cleanly: it stops polling, lets the outbox sender finish the messages in
# flight and closes the database. Give it time: the stop grace period (compose's
# stop_grace_period, docker stop --time) should be at least 30 s; Docker's default of 10 s can
# cut the sender short, and whatever was in flight is then sent again at the next start.
STOPSIGNAL SIGTERM
# Exec form: python is the process that receives the signal. TELEGRAM_BOT_TOKEN comes from the
# environment at run time (compose's env_file), never from the image.
CMD ["python", "-m", "bot", "run"]
