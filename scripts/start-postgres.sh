#!/usr/bin/env bash
# Starts the local PostgreSQL 15 server that the analytics service can share between instances, and that its
# tests and benchmark use, listening on loopback only. Idempotent: exits 0 at once when the server already answers
# and the role exists. Runs as root in a container without systemd, so the cluster is started with pg_ctlcluster.
# Creates the login role "stepaudio" (password "stepaudio", CREATEDB so tests can make throw-away databases)
# and the database "stepaudio_analytics". Connection string:
#   Host=127.0.0.1;Port=5432;Username=stepaudio;Password=stepaudio;Database=stepaudio_analytics
set -euo pipefail

readonly HOST=127.0.0.1
readonly PORT=5432
readonly VERSION=15
readonly CLUSTER=main
readonly ROLE=stepaudio
readonly DATABASE=stepaudio_analytics
readonly READY_TIMEOUT_S=60
readonly CONF_DIR=/etc/postgresql/${VERSION}/${CLUSTER}

log() { printf '%s\n' "start-postgres: $*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ ${EUID} -ne 0 ]]; then
  die "must run as root (the server itself runs as the postgres user)"
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -x /usr/lib/postgresql/${VERSION}/bin/postgres ]]; then
  die "postgresql-${VERSION} is not installed (apt-get install -y postgresql-${VERSION})"
fi

as_postgres() { (cd / && runuser -u postgres -- "$@"); }
# Readiness over TCP on loopback; administration over the Unix socket (peer authentication as postgres).
ready() { pg_isready -q -h "${HOST}" -p "${PORT}" && as_postgres psql -p "${PORT}" -d postgres -tAc 'select 1' >/dev/null 2>&1; }
sql() { as_postgres psql -p "${PORT}" -d postgres "$@"; }

if [[ ! -d ${CONF_DIR} ]]; then
  log "creating cluster ${VERSION}/${CLUSTER}"
  pg_createcluster "${VERSION}" "${CLUSTER}" -p "${PORT}" >/dev/null
fi

# Loopback only: the analytics database holds masked callers, but still call data.
conf_d=${CONF_DIR}/conf.d
mkdir -p "${conf_d}"
desired="# Written by scripts/start-postgres.sh: loopback only.
listen_addresses = '${HOST}'
port = ${PORT}"
restart=0
if [[ ! -f ${conf_d}/stepaudio.conf ]] || [[ "$(cat "${conf_d}/stepaudio.conf")" != "${desired}" ]]; then
  printf '%s\n' "${desired}" > "${conf_d}/stepaudio.conf"
  restart=1
fi

# Password logins over loopback TCP for the one role (scram-sha-256 is Debian's default for host lines).
hba=${CONF_DIR}/pg_hba.conf
hba_line="host    all             ${ROLE}       127.0.0.1/32            scram-sha-256"
if ! grep -qF "${hba_line}" "${hba}"; then
  # First match wins in pg_hba.conf, so the line goes on top.
  { printf '%s\n' "${hba_line}"; cat "${hba}"; } > "${hba}.new" && mv "${hba}.new" "${hba}"
  chown postgres:postgres "${hba}"
  restart=1
fi

install -d -o postgres -g postgres /var/run/postgresql

status=$(pg_lsclusters -h | awk -v v="${VERSION}" -v c="${CLUSTER}" '$1 == v && $2 == c { print $4 }')
if [[ ${status} == online* ]]; then
  if ((restart)); then
    log "restarting ${VERSION}/${CLUSTER} for the new settings"
    pg_ctlcluster "${VERSION}" "${CLUSTER}" restart
  fi
else
  log "starting ${VERSION}/${CLUSTER}"
  pg_ctlcluster "${VERSION}" "${CLUSTER}" start
fi

deadline=$((SECONDS + READY_TIMEOUT_S))
until ready; do
  ((SECONDS < deadline)) || { tail -n 20 "/var/log/postgresql/postgresql-${VERSION}-${CLUSTER}.log" >&2 || true; die "PostgreSQL did not become ready on ${HOST}:${PORT} within ${READY_TIMEOUT_S} s"; }
  sleep 1
done

if [[ $(sql -tAc "select 1 from pg_roles where rolname = '${ROLE}'") != 1 ]]; then
  sql -q -c "create role ${ROLE} login createdb password '${ROLE}'"
fi
if [[ $(sql -tAc "select 1 from pg_database where datname = '${DATABASE}'") != 1 ]]; then
  sql -q -c "create database ${DATABASE} owner ${ROLE}"
fi
echo "PostgreSQL ready on ${HOST}:${PORT}"
