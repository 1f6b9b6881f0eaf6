# Parley's container image: `docker build -t parley .` (see docs/deploy.md).
# Two stages: the first builds wheels for Parley and every dependency, the second installs them into a
# slim image without build tools, and runs as an unprivileged user. Lint it with `hadolint Dockerfile`.

# Pinned to a full version; for reproducible builds also pin the digest (python:3.11.11-slim-bookworm@sha256:…).
FROM python:3.11.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY coaching ./coaching
COPY storage ./storage
COPY templates ./templates
RUN pip wheel --no-cache-dir --wheel-dir /wheels .


FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000

# A fixed numeric id, so volume permissions and Kubernetes' runAsNonRoot work without a name lookup.
RUN groupadd --system --gid 10001 parley \
    && useradd --system --uid 10001 --gid parley --home-dir /data --create-home --shell /usr/sbin/nologin parley

COPY --from=build /wheels /wheels
# Only the wheels built above, no index: the versions were fixed when they were built (so DL3013 is moot).
# hadolint ignore=DL3013
RUN pip install --no-cache-dir --no-index --find-links=/wheels parley \
    && rm -rf /wheels

USER 10001:10001
# The default SQLite file (parley.db) lands here when DATABASE_URL is unset; use PostgreSQL in production.
WORKDIR /data
EXPOSE 3000

# /healthz answers 200 when the database is reachable, 503 when it is not. The clock process has no web
# server: docker-compose.yml gives it a check on its metrics port instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

CMD ["parley", "serve"]
