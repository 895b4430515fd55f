#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (with the .NET 10 SDK) to build, run and test the gateway.
# Idempotent: every step checks before it acts, so running it twice costs seconds.
#   - apt packages the gateway, the demo and the tests use (RabbitMQ, PostgreSQL, sipp, espeak-ng, sox, chromium, npm,
#     libgomp1: OpenMP, which LightGBM's native library behind `stepaudio train --model lightgbm` loads)
#   - the Silero VAD model, fetched from its npm package and checked by sha256
#   - RabbitMQ started on loopback
#   - PostgreSQL 15 started on loopback (the analytics service's shared store and its tests)
#   - a Release build of the solution
# `setup.sh --apt-only [package...]` runs only the apt step, for the named packages when given (other scripts, such
# as scale-test.sh, install what they need this way).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { printf '[setup] %s\n' "$*" >&2; }

# install_missing PACKAGE...: apt-installs those not installed yet (one apt-get update, only when something is missing).
install_missing() {
  local need_apt=() pkg sudo_cmd=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
  done
  ((${#need_apt[@]})) || return 0
  log "installing apt packages: ${need_apt[*]}"
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
}

packages=(rabbitmq-server postgresql-15 sip-tester espeak-ng sox baresip-core chromium libgomp1)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ "${1:-}" = --apt-only ]; then
  shift
  (($#)) && packages=("$@")
  install_missing "${packages[@]}"
  exit 0
fi

install_missing "${packages[@]}"

command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

bash "$repo/scripts/fetch-vad-model.sh"
bash "$repo/scripts/start-rabbitmq.sh"
bash "$repo/scripts/start-postgres.sh"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  log "building (Release)"
  mkdir -p "$repo/.cache"
  if ! dotnet build "$repo/StepAudio.Telephony.sln" -c Release -nologo -v quiet >"$repo/.cache/build.log" 2>&1; then
    grep -E 'error|Error' "$repo/.cache/build.log" >&2 || cat "$repo/.cache/build.log" >&2
    echo "error: build failed (full log: .cache/build.log)" >&2
    exit 1
  fi
fi
log "ready"
