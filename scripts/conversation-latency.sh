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
# --interrupt: each caller says a second sentence over the reply (1 s after the first ended, so the reply is playing),
# one call at a time. tshark captures the gateway's RTP on the loopback interface (the caller's side of the wire) and
# the script counts the reply's packets that arrived more than one packet time (20 ms) after the gateway decided the
# barge-in (its log line "barge-in decided at unix ms N", taken on the same wall clock), within WINDOW ms after it
# (default 1000: the caller is still talking then, so no new reply can have started). Aim: 0 such stale packets.
# Usage: scripts/conversation-latency.sh [--calls 50] [--concurrency 5] [--early-pause 150] [--first-endpoint-down]
#        [--interrupt [--window 1000]]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
calls=50
concurrency=5
early_ms=0
first_down=0
interrupt=0
window_ms=1000
while (($#)); do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --early-pause) early_ms=$2; shift 2 ;;
    --first-endpoint-down) first_down=1; shift ;;
    --interrupt) interrupt=1; shift ;;
    --window) window_ms=$2; shift 2 ;;
    *) echo "usage: $0 [--calls N] [--concurrency C] [--early-pause MS] [--first-endpoint-down] [--interrupt [--window MS]]" >&2; exit 2 ;;
  esac
done

bash "$repo/scripts/setup.sh" >/dev/null
if ((interrupt)); then
  bash "$repo/scripts/setup.sh" --apt-only tshark >/dev/null
  concurrency=1 # the stale-packet count takes every gateway packet near a barge-in as that call's
fi
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
if ((interrupt)); then
  # The second sentence follows the first's trailing second of silence at once (its own leading second is cut, 8,000
  # mu-law bytes): the turn ends after 300 ms of it and the reply starts playing before the caller talks over it.
  bash "$repo/scripts/make-speech.sh" "$work/second" "Actually no, I have a question about my last invoice instead" >/dev/null
  tail -c +8001 "$work/second/speech.pcmu" >>"$work/speech.pcmu"
  speech_ms=$(($(stat -c %s "$work/speech.pcmu") / 8))
fi

# The model server runs until its stdin closes: a fifo kept open by this script.
mkfifo "$work/model.in"
dotnet "$repo/benchmarks/StepAudio.Telephony.Benchmarks/bin/Release/net10.0/StepAudio.Telephony.Benchmarks.dll" model-server \
  <"$work/model.in" >"$work/model.out" 2>"$work/model.log" &
pids+=("$!")
exec 9>"$work/model.in"
wait_for_line "$work/model.out" "http://" 60
model_url=$(head -n 1 "$work/model.out")

sip_port=$((20000 + RANDOM % 10000))
rtp_min=31000 rtp_max=31999 # the gateway's RTP ports here: what leaves them towards the caller is the reply
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
    dotnet "$gateway_dll" --Sip:Port="$sip_port" --Sip:ListenAddress=127.0.0.1 --Rtp:BindAddress=127.0.0.1 \
      --Rtp:PortMin=$rtp_min --Rtp:PortMax=$rtp_max) \
  >"$work/gateway.log" 2>&1 &
pids+=("$!")
wait_for_line "$work/gateway.log" "SIP listening" 60
log "gateway on udp/$sip_port, model at $model_url; $calls calls, $concurrency at a time, ${speech_ms} ms of speech each; early pause ${early_ms} ms; first endpoint down: $first_down"

if ((interrupt)); then
  tshark -i lo -f "udp src portrange $rtp_min-$rtp_max" -w "$work/wire.pcap" >"$work/tshark.log" 2>&1 &
  pids+=("$!")
  wait_for_line "$work/tshark.log" "Capturing on" 30
fi

cp "$repo/deploy/sipp/uac_converse.xml" "$work/"
sipp_timeout=$((calls * 20 > 300 ? calls * 20 : 300)) # an interrupted call lasts about 12 s, one at a time
(cd "$work" && sipp "127.0.0.1:$sip_port" -sf uac_converse.xml -s gateway -i 127.0.0.1 -p 0 -m "$calls" -l "$concurrency" \
    -r "$concurrency" -nostdin -timeout "${sipp_timeout}s" -timeout_error -trace_err -error_file "$work/sipp-errors.log" \
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
if ((interrupt)); then
  kill -INT "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
  grep -o 'barge-in decided at unix ms [0-9]*' "$work/gateway.log" | awk '{print $NF}' >"$work/barge-in.txt"
  # Arrival time (s) of every RTP packet (version 2, PCMU or PCMA) the gateway sent; RTCP and anything else is skipped.
  tshark -r "$work/wire.pcap" -T fields -e frame.time_epoch -e udp.payload 2>/dev/null | awk '
    function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(tolower(h), i, 1)) - 1; return v }
    { b0 = hex(substr($2, 1, 2)); b1 = hex(substr($2, 3, 2)) % 128
      if (int(b0 / 64) == 2 && (b1 == 0 || b1 == 8)) printf "%.6f\n", $1 }' >"$work/reply-packets.txt"
  awk -v window="$window_ms" '
    NR == FNR { at[++n] = $1 / 1000; next }
    { t[++m] = $1 }
    END {
      for (i = 1; i <= n; i++) {
        d = at[i]; before = 0; within = 0; stale = 0; last = -1
        for (j = 1; j <= m; j++) {
          if (t[j] > d - 0.1 && t[j] <= d) before++
          else if (t[j] > d && t[j] <= d + 0.020) { within++; last = t[j] - d }
          else if (t[j] > d + 0.020 && t[j] <= d + window / 1000) { stale++; last = t[j] - d }
        }
        if (before == 0) { idle++; continue } # the reply was not playing when the barge-in was decided
        mid++; totalWithin += within; totalStale += stale; if (stale > 0) leaking++
        if (last * 1000 > worst) worst = last * 1000
      }
      printf "gateway RTP packets captured at the caller: %d\n", m
      printf "barge-ins decided: %d, over a playing reply: %d, before any reply audio: %d\n", n, mid, idle
      printf "reply RTP packets on the wire after the barge-in was decided: %d within one packet time (20 ms), %d later (stale; in %d of %d interruptions)\n", totalWithin, totalStale, leaking, mid
      printf "latest reply packet after a barge-in decision: %.1f ms\n", worst
    }' "$work/barge-in.txt" "$work/reply-packets.txt"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
