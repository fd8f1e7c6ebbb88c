#!/usr/bin/env bash
# The system parts the test suite needs, beyond what `make install` puts in .venv:
#   PostgreSQL on 127.0.0.1:5432 letting user postgres in over TCP without a password (trust),
#   RabbitMQ with `rabbitmqctl` on PATH (the tests create a vhost with it), `prometheus` and `promtool`,
#   `pg_dump`/`pg_restore` (postgresql-client), python3 with venv (for .tools/ when uv is not installed), make,
#   `chromium` (the survey pages' Playwright tests).
#
# As root it installs what is missing with apt-get and starts PostgreSQL or RabbitMQ when they are not running.
# Otherwise (or with --check) it only looks, and names each missing part with the command that installs it.
# Exit status 0 when everything is there, 1 otherwise. It never stops, restarts or kills a running server.
#
# Usage: scripts/system-deps.sh [--check]
set -uo pipefail

# the same servers the test plugin (servicekit.testing) uses, and its overrides
PG_DSN="${CRM_TEST_POSTGRES_DSN:-postgresql://postgres@127.0.0.1:5432/postgres}"
pg_address=${PG_DSN#*://}; pg_address=${pg_address#*@}; pg_address=${pg_address%%/*}
PG_HOST=${pg_address%:*}
PG_PORT=5432; [ "$pg_address" = "$PG_HOST" ] || PG_PORT=${pg_address##*:}
PG_USER=${PG_DSN#*://}; PG_USER=${PG_USER%%@*}; [ "$PG_USER" != "${PG_DSN#*://}" ] || PG_USER=postgres
RABBIT_ADDRESS="${CRM_TEST_RABBIT_HOST:-127.0.0.1:5672}"
RABBIT_HOST=${RABBIT_ADDRESS%:*}
RABBIT_PORT=${RABBIT_ADDRESS##*:}
local_postgres=no  # only the machine's own default server is installed or started here
[ "$PG_HOST:$PG_PORT" = 127.0.0.1:5432 ] && local_postgres=yes

mode=install
[ "$(id -u)" = 0 ] || mode=check
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo "

say() { echo "system-deps: $*" >&2; }

# bash's /dev/tcp: works before any client is installed
listening() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

pg_bin() {  # Debian keeps some PostgreSQL client binaries only under /usr/lib/postgresql/<version>/bin
  command -v "$1" 2>/dev/null || ls -1 /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1
}

pg_cluster() {  # "<version> <name>" of the cluster configured for port 5432, else the first one
  command -v pg_lsclusters >/dev/null || return 1
  local clusters
  clusters=$(pg_lsclusters -h 2>/dev/null) || return 1
  [ -n "$clusters" ] || return 1
  awk -v port="$PG_PORT" 'NR == 1 {first = $1 " " $2} $3 == port {print $1, $2; found = 1; exit}
                          END {if (!found) print first}' <<<"$clusters"
}

pg_lets_test_user_in_without_password() {
  local psql
  psql=$(pg_bin psql) || return 1
  [ -n "$psql" ] && "$psql" -w -Atqc 'select 1' "$PG_DSN" >/dev/null 2>&1
}

rabbitmqctl_works() { timeout 60 rabbitmqctl -q status >/dev/null 2>&1; }

# --- what is missing: one sentence and one command per part; packages and start actions for root -------------
problems=()
packages=()
start_postgres=no
start_rabbitmq=no

need() {  # sentence, command, [package]
  problems+=("$1: $2")
  [ -z "${3:-}" ] || packages+=("$3")
}

survey() {
  problems=() packages=() start_postgres=no start_rabbitmq=no

  python3 -c 'import ensurepip, venv' 2>/dev/null ||
    need "python3 with its venv module is missing (make install builds .tools/ with it when uv is not installed)" \
      "${sudo}apt-get install -y python3-venv" python3-venv
  command -v make >/dev/null || need "make is missing (the test command is \`make test\`)" "${sudo}apt-get install -y make" make
  [ -n "$(pg_bin pg_dump)" ] && [ -n "$(pg_bin pg_restore)" ] && [ -n "$(pg_bin psql)" ] ||
    need "pg_dump, pg_restore and psql are missing (the backup and encryption-at-rest tests run them)" \
      "${sudo}apt-get install -y postgresql-client" postgresql-client
  command -v chromium >/dev/null ||
    need "chromium is missing (the survey pages' browser tests drive Debian's headless chromium with Playwright)" \
      "${sudo}apt-get install -y chromium" chromium
  command -v prometheus >/dev/null && command -v promtool >/dev/null ||
    need "prometheus and promtool are missing (the alert-rule tests and the SLA scrape test run them)" \
      "${sudo}apt-get install -y prometheus" prometheus

  local cluster
  if listening "$PG_HOST" "$PG_PORT"; then
    if [ -n "$(pg_bin psql)" ] && ! pg_lets_test_user_in_without_password; then
      cluster=$(pg_cluster) || cluster="<version> main"
      need "PostgreSQL on $PG_HOST:$PG_PORT does not let user $PG_USER in without a password (the tests connect so)" \
        "set the method of the 'host all all 127.0.0.1/32' line in /etc/postgresql/${cluster// //}/pg_hba.conf to trust, then ${sudo}pg_ctlcluster $cluster reload"
    fi
  elif [ "$local_postgres" = no ]; then
    need "PostgreSQL is not listening on $PG_HOST:$PG_PORT (CRM_TEST_POSTGRES_DSN)" "start the server that address names"
  elif cluster=$(pg_cluster); then
    need "PostgreSQL is installed but not listening on $PG_HOST:$PG_PORT" \
      "${sudo}pg_ctlcluster --skip-systemctl-redirect $cluster start"
    start_postgres=yes
  else
    need "PostgreSQL is not installed (the tests need it on $PG_HOST:$PG_PORT, user postgres, trust auth)" \
      "${sudo}apt-get install -y postgresql, set 'host all all 127.0.0.1/32 trust' in its pg_hba.conf, then ${sudo}pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" \
      postgresql
    start_postgres=yes
  fi

  if ! command -v rabbitmqctl >/dev/null; then
    if [ -x /usr/sbin/rabbitmqctl ]; then
      need "rabbitmqctl is installed in /usr/sbin, which is not on your PATH (the tests run it by name)" \
        "export PATH=\$PATH:/usr/sbin"
    else
      need "RabbitMQ is not installed (the tests need the broker on $RABBIT_ADDRESS and rabbitmqctl on PATH)" \
        "${sudo}apt-get install -y rabbitmq-server, then ${sudo}rabbitmq-server -detached" rabbitmq-server
      start_rabbitmq=yes
    fi
  elif ! rabbitmqctl_works; then
    if listening "$RABBIT_HOST" "$RABBIT_PORT"; then
      need "RabbitMQ is running but \`rabbitmqctl status\` fails for user $(id -un) (Debian allows only root and rabbitmq)" \
        "run the tests as root: sudo make test"
    else
      need "RabbitMQ is not running" "${sudo}rabbitmq-server -detached"
      start_rabbitmq=yes
    fi
  fi
}

# --- root: install and start what is missing -------------------------------------------------------------------
ensure_trust_auth() {  # only on a cluster this script is about to start or has just installed
  local hba="/etc/postgresql/${1}/${2}/pg_hba.conf"
  [ -f "$hba" ] || return 0
  grep -qE '^host\s+all\s+(all|postgres)\s+127\.0\.0\.1/32\s+trust' "$hba" && return 0
  say "PostgreSQL: trust auth for local TCP connections in $hba (the tests connect as postgres without a password)"
  if grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s' "$hba"; then
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  else
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
}

install_and_start() {
  if [ ${#packages[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || { say "apt-get not found: install these by hand: ${packages[*]}"; return; }
    say "installing ${packages[*]}"
    local log
    log=$(mktemp)
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2
      say "apt-get install failed"
    fi
    rm -f "$log"
    hash -r
  fi

  local cluster
  if [ "$start_postgres" = yes ] && cluster=$(pg_cluster); then
    ensure_trust_auth $cluster
    if listening "$PG_HOST" "$PG_PORT"; then
      # the package's own start (systemd) got there first, before trust was set: reloading applies it, nothing stops
      pg_ctlcluster $cluster reload
    else
      say "starting PostgreSQL $cluster"
      pg_ctlcluster --skip-systemctl-redirect $cluster start || true
    fi
    for _ in $(seq 60); do listening "$PG_HOST" "$PG_PORT" && break; sleep 1; done
  fi

  if [ "$start_rabbitmq" = yes ] && command -v rabbitmq-server >/dev/null; then
    if ! listening "$RABBIT_HOST" "$RABBIT_PORT"; then
      say "starting RabbitMQ"
      rabbitmq-server -detached || true
    fi
    for _ in $(seq 90); do rabbitmqctl_works && break; sleep 1; done
    timeout 60 rabbitmqctl -q await_startup >/dev/null 2>&1 || true
  fi
}

survey
if [ ${#problems[@]} -gt 0 ] && [ "$mode" = install ]; then
  install_and_start
  survey
fi
if [ ${#problems[@]} -gt 0 ]; then
  say "the tests cannot run; missing on this machine:"
  for problem in "${problems[@]}"; do echo "  - $problem" >&2; done
  [ "$(id -u)" = 0 ] || echo "  (as root, scripts/system-deps.sh installs and starts these itself)" >&2
  exit 1
fi
echo "system-deps: PostgreSQL, RabbitMQ, prometheus/promtool, the PostgreSQL client, python3-venv and chromium are ready"
