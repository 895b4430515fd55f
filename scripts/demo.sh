#!/usr/bin/env bash
# The main job: one real phone call through the gateway, end to end.
#   set-up (setup.sh) -> analytics consumer -> gateway on udp/5060 -> sipp calls it and speaks
#   -> the events the consumer received from RabbitMQ are printed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

bash "$repo/scripts/setup.sh"

work="$repo/.cache/demo"
mkdir -p "$work"
log() { printf '[demo] %s\n' "$*" >&2; }

sip_port=${SIP_PORT:-5060}
speech_ms=$(bash "$repo/scripts/make-speech.sh" "$work")
log "caller speech: $((speech_ms / 1000)).$(( (speech_ms % 1000) / 100 )) s of G.711 mu-law audio"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # A process that does not stop within 15 s is killed, so a stuck gateway cannot hang the demo.
  for _ in $(seq 1 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for_line() { # file pattern seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if ((SECONDS >= deadline)); then log "timed out waiting for '$2' in $1"; tail -n 30 "$1" >&2; return 1; fi
    sleep 0.2
  done
}

consumer_dll="$repo/src/Analytics/Consumer/bin/Release/net10.0/StepAudio.Telephony.Analytics.Consumer.dll"
gateway_dll="$repo/src/SipGateway/bin/Release/net10.0/StepAudio.Telephony.SipGateway.dll"

: >"$work/events.txt"
dotnet "$consumer_dll" --queue "stepaudio-demo-$$" --transient --exit-after-call-ended 1 --timeout 120 \
  >"$work/events.txt" 2>"$work/consumer.log" &
consumer_pid=$!
pids+=("$consumer_pid")
wait_for_line "$work/consumer.log" "consumer ready" 60

(cd "$repo/src/SipGateway/bin/Release/net10.0" && exec dotnet "$gateway_dll" --Sip:Port="$sip_port" \
    --Sip:ListenAddress=127.0.0.1 --Rtp:BindAddress=127.0.0.1) \
  >"$work/gateway.log" 2>&1 &
pids+=("$!")
wait_for_line "$work/gateway.log" "SIP listening" 60
log "gateway is listening on udp/$sip_port; placing a call with sipp"

# sipp loads speech.pcmu relative to its working directory; -d holds the call open while it speaks.
(cd "$work" && cp "$repo/deploy/sipp/uac_speech.xml" . &&
  sipp "127.0.0.1:$sip_port" -sf uac_speech.xml -s gateway -i 127.0.0.1 -p 0 -m 1 \
    -d $((speech_ms + 1500)) -nostdin -timeout 60s -timeout_error -trace_err \
    -error_file "$work/sipp-errors.log" >"$work/sipp.log" 2>&1) || {
  log "sipp call failed"; cat "$work/sipp.log" "$work/sipp-errors.log" 2>/dev/null | tail -n 40 >&2; exit 1; }
log "sipp call completed (INVITE/200/ACK, speech, BYE/200)"

wait "$consumer_pid" || { log "consumer did not see the call end"; tail -n 30 "$work/consumer.log" >&2; exit 1; }
echo "Events received from RabbitMQ:"
cat "$work/events.txt"
