#!/usr/bin/env bash
# Conversation latency: the gateway's own share of a model turn. sipp places CALLS calls (CONCURRENCY at a time) into
# a converse flow; each caller says one sentence (espeak-ng, G.711 mu-law RTP, one second of silence after it); a
# loopback OpenAI-compatible server (benchmarks `-- model-server`) answers every turn at once with two sentences and a
# hangup tool call. Each turn is measured by the gateway itself, on its clock: from the end of the caller's last voiced
# audio (as it reached the VAD) to the first reply audio handed to the RTP pacer (which sends it on its next 20 ms
# tick), end-of-turn detection (300 ms hangover) and espeak-ng synthesis of the first sentence included. Prints p50/p95.
# --early-pause MS turns on Conversation:EarlyRequestPause (the request sent at a pause of MS ms inside the speech).
# --first-endpoint-down puts a dead endpoint (connection refused on a closed loopback port) first, breaker disabled,
# so every turn fails over to the loopback server: the figure is then the dead air of the fallback case.
# Usage: scripts/conversation-latency.sh [--calls 50] [--concurrency 5] [--early-pause 150] [--first-endpoint-down]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
calls=50
concurrency=5
early_ms=0
first_down=0
while (($#)); do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --early-pause) early_ms=$2; shift 2 ;;
    --first-endpoint-down) first_down=1; shift ;;
    *) echo "usage: $0 [--calls N] [--concurrency C] [--early-pause MS] [--first-endpoint-down]" >&2; exit 2 ;;
  esac
done

bash "$repo/scripts/setup.sh" >/dev/null
dotnet build "$repo/benchmarks/StepAudio.Telephony.Benchmarks" -c Release -v q -nologo >/dev/null
dotnet build "$repo/src/SipGateway" -c Release -v q -nologo >/dev/null

work=$(mktemp -d)
log() { printf '[conversation-latency] %s\n' "$*" >&2; }
pids=()
cleanup() {
  exec 9>&- 2>/dev/null || true # the model server ends when its stdin closes
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() { # file pattern seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if ((SECONDS >= deadline)); then log "timed out waiting for '$2' in $1"; tail -n 30 "$1" >&2; return 1; fi
    sleep 0.2
  done
}

mkdir -p "$work/flows"
cat >"$work/flows/assistant.yaml" <<'YAML'
flow: assistant
start: talk
steps:
  talk:
    converse:
      instructions: You are the benchmark line's assistant.
      actions: [hangup]
      max_turns: 2
YAML
speech_ms=$(bash "$repo/scripts/make-speech.sh" "$work" "I would like to pay my bill please")

# The model server runs until its stdin closes: a fifo kept open by this script.
mkfifo "$work/model.in"
dotnet "$repo/benchmarks/StepAudio.Telephony.Benchmarks/bin/Release/net10.0/StepAudio.Telephony.Benchmarks.dll" model-server \
  <"$work/model.in" >"$work/model.out" 2>"$work/model.log" &
pids+=("$!")
exec 9>"$work/model.in"
wait_for_line "$work/model.out" "http://" 60
model_url=$(head -n 1 "$work/model.out")

sip_port=$((20000 + RANDOM % 20000))
gateway_dll="$repo/src/SipGateway/bin/Release/net10.0/StepAudio.Telephony.SipGateway.dll"
endpoints=(Conversation__Endpoints__0__BaseUrl="$model_url" Conversation__Endpoints__0__Model=instant Conversation__Endpoints__0__Name=loopback)
if ((first_down)); then
  # Port 9 (discard) on loopback: nothing listens, so the connection is refused at once. The breaker never opens.
  endpoints=(Conversation__Endpoints__0__BaseUrl="http://127.0.0.1:9/v1" Conversation__Endpoints__0__Model=instant
    Conversation__Endpoints__0__Name=down Conversation__Endpoints__1__BaseUrl="$model_url" Conversation__Endpoints__1__Model=instant
    Conversation__Endpoints__1__Name=loopback Conversation__BreakerMinimumThroughput=1000000)
fi
early=$(printf '00:00:00.%03d' "$early_ms")
(cd "$repo/src/SipGateway/bin/Release/net10.0" && exec env \
    CallFlow__Directory="$work/flows" "${endpoints[@]}" Conversation__EarlyRequestPause="$early" \
    Publishing__Outbox__Directory="$work/outbox" Metrics__Port=0 \
    dotnet "$gateway_dll" --Sip:Port="$sip_port" --Sip:ListenAddress=127.0.0.1 --Rtp:BindAddress=127.0.0.1) \
  >"$work/gateway.log" 2>&1 &
pids+=("$!")
wait_for_line "$work/gateway.log" "SIP listening" 60
log "gateway on udp/$sip_port, model at $model_url; $calls calls, $concurrency at a time, ${speech_ms} ms of speech each; early pause ${early_ms} ms; first endpoint down: $first_down"

cp "$repo/deploy/sipp/uac_converse.xml" "$work/"
(cd "$work" && sipp "127.0.0.1:$sip_port" -sf uac_converse.xml -s gateway -i 127.0.0.1 -p 0 -m "$calls" -l "$concurrency" \
    -r "$concurrency" -nostdin -timeout 300s -timeout_error -trace_err -error_file "$work/sipp-errors.log" \
    >"$work/sipp.log" 2>&1) || { log "sipp reported failed calls"; tail -n 20 "$work/sipp-errors.log" >&2 || true; }

grep -o 'first reply packet [0-9.]*s after speech end' "$work/gateway.log" | awk '{print $4}' | tr -d s | sort -n >"$work/latency.txt"
n=$(wc -l <"$work/latency.txt")
if ((n == 0)); then log "no turn was measured"; tail -n 40 "$work/gateway.log" >&2; exit 1; fi
awk -v n="$n" '
  { v[NR] = $1 }
  END {
    p50 = v[int((n * 50 + 99) / 100)]; p95 = v[int((n * 95 + 99) / 100)]
    printf "turns measured: %d\nend of caller speech -> first reply RTP packet: p50 %.3f s, p95 %.3f s, max %.3f s\n", n, p50, p95, v[n]
  }' "$work/latency.txt"
count() { grep -c "$1" "$work/gateway.log" || true; } # grep -c exits 1 on no match
echo "interrupted turns: $(count '"outcome":"interrupted"\|: interrupted via')"
echo "turns answered by the early request: $(count 'request sent at a pause)')"
echo "turns answered by the loopback endpoint: $(count 'via loopback')"
echo "early requests dropped: $(count 'was dropped: the caller went on speaking')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
