#!/usr/bin/env bash
# Starts the local RabbitMQ broker that the analytics publisher, the event-printer consumer and the
# tests talk to, listening on loopback only. Idempotent: exits 0 at once when the broker already answers.
# Runs as root in a container without systemd, so the server is started detached, not as a unit.
set -euo pipefail

readonly HOST=127.0.0.1
readonly PORT=5672
readonly READY_TIMEOUT_S=60
readonly ENV_CONF=/etc/rabbitmq/rabbitmq-env.conf

log() { printf '%s\n' "start-rabbitmq: $*" >&2; }
die() { log "error: $*"; exit 1; }

# A bare TCP connect answers "is the AMQP listener up?" without needing the Erlang cookie.
port_open() { (exec 3<>"/dev/tcp/${HOST}/${PORT}") 2>/dev/null; }

broker_ready() {
  port_open && rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1
}

if [[ ${EUID} -ne 0 ]]; then
  die "must run as root (rabbitmq-server drops to the rabbitmq user itself)"
fi
if ! command -v rabbitmq-server >/dev/null 2>&1 || ! command -v rabbitmqctl >/dev/null 2>&1; then
  die "rabbitmq-server is not installed (apt-get install -y rabbitmq-server)"
fi

if port_open; then
  # Something already listens; give a broker that is still booting the same grace period.
  for ((i = 0; i < READY_TIMEOUT_S; i++)); do
    if broker_ready; then
      echo "RabbitMQ ready on ${HOST}:${PORT}"
      exit 0
    fi
    sleep 1
  done
  die "port ${HOST}:${PORT} is open but RabbitMQ does not answer check_port_connectivity"
fi

# Bind AMQP, epmd and the Erlang distribution port (25672) to loopback only: the broker must not be
# reachable from the network, and guest/guest is accepted only from loopback anyway.
desired_conf="# Written by scripts/start-rabbitmq.sh: loopback only.
NODE_IP_ADDRESS=${HOST}
NODE_PORT=${PORT}
ERL_EPMD_ADDRESS=${HOST}
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\""
mkdir -p "$(dirname "${ENV_CONF}")"
if [[ ! -f ${ENV_CONF} ]] || [[ "$(cat "${ENV_CONF}")" != "${desired_conf}" ]]; then
  [[ -f ${ENV_CONF} ]] && cp -p "${ENV_CONF}" "${ENV_CONF}.bak"
  printf '%s\n' "${desired_conf}" > "${ENV_CONF}"
fi

install -d -o rabbitmq -g rabbitmq /var/log/rabbitmq /var/lib/rabbitmq

# The node may be up without its listener (e.g. still booting); start only when no node is running.
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting rabbitmq-server (detached)"
  rabbitmq-server -detached >/dev/null 2>&1 || true
fi

deadline=$((SECONDS + READY_TIMEOUT_S))
while ((SECONDS < deadline)); do
  if broker_ready; then
    echo "RabbitMQ ready on ${HOST}:${PORT}"
    exit 0
  fi
  sleep 1
done

log "last lines of the broker log:"
tail -n 20 /var/log/rabbitmq/*.log 2>/dev/null >&2 || true
die "RabbitMQ did not become ready on ${HOST}:${PORT} within ${READY_TIMEOUT_S} s"
