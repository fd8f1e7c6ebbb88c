# syntax=docker/dockerfile:1
#
# One image for every CRM service: `crm serve <service>`, `crm migrate`, `crm dlq ...`.
#   docker build -t crm .
#   docker run --rm crm --help
#
# Workspace members are installed editable (uv's default) on purpose: each service finds its
# Alembic scripts relative to its source tree (services/<name>/migrations), so the source lives
# at /app in both stages and the venv's .pth files point there.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build

ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /app

# 1. Third-party dependencies only, from the lock file: this layer is rebuilt only when a
#    pyproject.toml or uv.lock changes, not on every source edit.
COPY pyproject.toml uv.lock ./
COPY contracts/pyproject.toml contracts/
COPY kit/pyproject.toml kit/
COPY cli/pyproject.toml cli/
COPY services/customer/pyproject.toml services/customer/
COPY services/engagement/pyproject.toml services/engagement/
COPY services/complaints/pyproject.toml services/complaints/
COPY services/surveys/pyproject.toml services/surveys/
COPY services/notifier/pyproject.toml services/notifier/
COPY services/gateway/pyproject.toml services/gateway/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --all-packages --frozen --no-dev --no-install-workspace

# 2. The workspace itself (tests, bench, deploy are excluded by .dockerignore / not copied).
COPY contracts/ contracts/
COPY kit/ kit/
COPY cli/ cli/
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --all-packages --frozen --no-dev \
 && /app/.venv/bin/python -m compileall -q --invalidation-mode checked-hash \
        contracts/src kit/src cli/src services

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# production by default: a service refuses to start with a development secret or key (R-09, .env.example)
ENV PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:${PATH}" \
    CRM_VAR_DIR=/app/var \
    CRM_ENV=production

# pg_dump / pg_restore / psql for `crm backup` and `crm restore` (Debian's client, 17 on trixie: it must be at least
# the server's major version, 16 in docker-compose.yml)
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 crm \
 && useradd --system --uid 10001 --gid crm --home-dir /app --no-create-home --shell /usr/sbin/nologin crm

WORKDIR /app
# Code and venv stay root-owned (read-only for the service); only var/ is writable.
COPY --from=build /app /app
RUN mkdir -p /app/var && chown crm:crm /app/var

USER 10001:10001

# gateway, customer, engagement, complaints, surveys, notifier (defaults; CRM_<SERVICE>_PORT overrides)
EXPOSE 8000 8001 8002 8003 8004 8005

ENTRYPOINT ["/app/.venv/bin/crm"]
CMD ["--help"]
