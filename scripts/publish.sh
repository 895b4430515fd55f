#!/usr/bin/env bash
# Self-contained, framework-independent builds of every executable: the target machine needs no .NET installed.
#   artifacts/publish/<rid>/sip-gateway        StepAudio.Telephony.SipGateway (+ appsettings.json, models/, config/)
#   artifacts/publish/<rid>/analytics-service  StepAudio.Telephony.Analytics.Service
#   artifacts/publish/<rid>/event-printer      StepAudio.Telephony.Analytics.Consumer
#   artifacts/publish/<rid>/stepaudio          the CLI (validate, simulate, eval)
# Usage: scripts/publish.sh [--rid linux-x64] [--only sip-gateway|analytics-service|event-printer|stepaudio]
# The gateway needs the VAD model (scripts/fetch-vad-model.sh, run here) and, at run time, espeak-ng and sox from
# the OS for prompts; deploy/systemd and deploy/docker use this layout.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

rid=linux-x64
only=""
while (($#)); do
  case "$1" in
    --rid) rid=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

log() { printf '[publish] %s\n' "$*" >&2; }
out="$repo/artifacts/publish/$rid"
bash "$repo/scripts/fetch-vad-model.sh" >/dev/null

publish() { # name project
  [ -z "$only" ] || [ "$only" = "$1" ] || return 0
  log "$1 ($2) -> $out/$1"
  rm -rf "${out:?}/$1"
  dotnet publish "$repo/$2" -c Release -r "$rid" --self-contained true -p:PublishSingleFile=false \
    -p:DebugType=none -o "$out/$1" -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
}

publish sip-gateway src/SipGateway
if [ -z "$only" ] || [ "$only" = sip-gateway ]; then
  # Relative paths in appsettings.json (config/flows, config/prompts) are taken against the executable's folder.
  mkdir -p "$out/sip-gateway/config"
  cp -r "$repo/config/flows" "$out/sip-gateway/config/"
  [ -d "$repo/config/prompts" ] && cp -r "$repo/config/prompts" "$out/sip-gateway/config/"
  test -f "$out/sip-gateway/models/silero_vad_v5.onnx" || { echo "error: VAD model missing from the publish output" >&2; exit 1; }
fi
publish analytics-service src/Analytics/Service
publish event-printer src/Analytics/Consumer
publish stepaudio src/Cli
log "done: $out"
