#!/usr/bin/env bash
# Pool test: Kamailio (deploy/kamailio/kamailio.cfg, dispatcher) in front of three gateways, all on 127.0.0.1, with
# sipp placing calls through Kamailio (deploy/sipp/proxy_short_call.xml) and an event consumer listening on RabbitMQ.
#   spread: calls shared over the three gateways; calls per gateway and failed calls.
#   kill:   gateway 2 is SIGKILLed mid-run. How long new calls still went to it (each then failed over after the
#           INVITE timeout), the calls lost with it (in progress there), and, after it is restarted on the same
#           outbox, whether the events of its calls arrive (its broker link was down the whole time, so every one of
#           its events was in its outbox when it died).
#   drain:  gateway 3 gets SIGTERM mid-run: it answers new INVITEs and OPTIONS with 503 so Kamailio moves on,
#           finishes its calls and exits by itself: 0 failed calls expected.
#   throughput (--only throughput): short calls (1 s) at rising rates, first to gateway 1 alone, then through
#           Kamailio to the three gateways; the best rate with 0 failed calls for each. All processes share this
#           machine's cores, so the pool figure shows Kamailio's cost and the spread, not three machines' capacity.
# Prints RESULT lines. Usage: scripts/scale-test.sh [--rate 20] [--seconds 20] [--hold-ms 2000] [--base-port 5470]
#                             [--only throughput [--rates "100 200 400 800"] [--step-seconds 4]]
# Installs kamailio (through setup.sh's apt step) when missing; needs sipp, RabbitMQ on 127.0.0.1:5672 (started
# here) and a Release build (built here when missing). Bounded: about 2-3 minutes at the defaults.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

rate=20
seconds=20
hold_ms=2000
base=5470
only=""
rates="100 200 400 800"
step_seconds=4
max_calls_per_step=2000
while (($#)); do
  case "$1" in
    --only) only=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --step-seconds) step_seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --hold-ms) hold_ms=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

log() { printf '[scale] %s\n' "$*" >&2; }

case "$only" in "" | throughput) ;; *) echo "--only must be throughput" >&2; exit 2 ;; esac

bash "$repo/scripts/setup.sh" --apt-only kamailio sip-tester curl

gateway_dir="$repo/src/SipGateway/bin/Release/net10.0"
gateway_dll="$gateway_dir/StepAudio.Telephony.SipGateway.dll"
consumer_dll="$repo/src/Analytics/Consumer/bin/Release/net10.0/StepAudio.Telephony.Analytics.Consumer.dll"
for project in src/SipGateway src/Analytics/Consumer; do
  name=$(basename "$project")
  dll=$gateway_dll
  [ "$name" = Consumer ] && dll=$consumer_dll
  if [ ! -f "$dll" ]; then
    log "no Release build of $project; building it"
    dotnet build "$repo/$project" -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
  fi
done
bash "$repo/scripts/fetch-vad-model.sh" >/dev/null
bash "$repo/scripts/start-rabbitmq.sh" >/dev/null

work="$repo/.cache/scale/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$work"
log "logs in $work"

kam_port=$base
declare -a gw_pid=() sip_port=() health_port=() metrics_port=()
for i in 1 2 3; do
  sip_port[i]=$((base + i))
  health_port[i]=$((base + 10 + i))
  metrics_port[i]=$((base + 20 + i))
done
dead_broker_port=$((base + 30)) # nothing listens there: gateway 2's events wait in its outbox
kam_pid=""
consumer_pid=""
sipp_pid=""

cleanup() {
  for pid in "$sipp_pid" "$kam_pid" "$consumer_pid" "${gw_pid[@]}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# start_gateway N [extra settings...]: gateway N on its own SIP, RTP, health and metrics ports and its own outbox.
# The balancer's address is a listed trunk: a trunk is never rate-limited (Kamailio sends every call from one address).
start_gateway() {
  local i=$1
  shift
  (cd "$gateway_dir" && exec dotnet "$gateway_dll" \
    --Sip:ListenAddress=127.0.0.1 --Sip:PublicAddress=127.0.0.1 --Sip:Port="${sip_port[i]}" \
    --Rtp:BindAddress=127.0.0.1 --Rtp:PortMin=$((30000 + i * 2000)) --Rtp:PortMax=$((31998 + i * 2000)) \
    --Calls:Greeting= --CallFlow:Enabled=false \
    --Metrics:Port="${metrics_port[i]}" --Health:Port="${health_port[i]}" \
    --Publishing:Outbox:Directory="$work/outbox-$i" \
    --SipSecurity:Trunks:0:Name=balancer --SipSecurity:Trunks:0:Addresses:0=127.0.0.1/32 \
    --Drain:Timeout=00:00:30 --Drain:RetryAfter=00:00:05 "$@") >>"$work/gateway-$i.log" 2>&1 &
  gw_pid[i]=$!
  local deadline=$((SECONDS + 90))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${health_port[i]}/readyz")" = 200 ]; do
    if ((SECONDS >= deadline)) || ! kill -0 "${gw_pid[i]}" 2>/dev/null; then
      log "gateway $i did not become ready"; tail -n 20 "$work/gateway-$i.log" >&2; exit 1
    fi
    sleep 0.3
  done
}

# answered_by PORT FROM_LINE: calls (From users, unique per call) Kamailio saw answered by the gateway on PORT since
# line FROM_LINE of its log.
answered_by() {
  tail -n +"$2" "$work/kamailio.log" | grep -o "answered [^ ]* from [^ ]* by 127.0.0.1:$1 " | awk '{print $4}' | sort -u
}

log_lines() { wc -l <"$work/kamailio.log"; }

# per_gateway FROM_LINE: " gateway1=N gateway2=N gateway3=N", calls each answered since that line of Kamailio's log.
per_gateway() {
  local i
  for i in 1 2 3; do printf ' gateway%s=%s' "$i" "$(answered_by "${sip_port[i]}" "$1" | wc -l)"; done
}

# run_sipp NAME CALLS: places CALLS calls at $rate per second through Kamailio, in the background (sets sipp_pid).
run_sipp() {
  (cd "$work" && exec sipp "127.0.0.1:$kam_port" -sf "$repo/deploy/sipp/proxy_short_call.xml" -s gateway \
    -i 127.0.0.1 -m "$2" -r "$rate" -d "$hold_ms" -timeout 180s -timeout_error -max_recv_loops 1000 \
    -trace_stat -stf "$work/$1.csv" -fd 1 -nostdin) >"$work/sipp-$1.log" 2>&1 &
  sipp_pid=$!
}

# sipp_counts NAME: "successful failed" from the last statistics line of that run.
sipp_counts() {
  awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "SuccessfulCall(C)") s = i; if ($i == "FailedCall(C)") f = i } }
             END { print $s, $f }' "$work/$1.csv"
}

# events_for CALLS-FILE TYPE: how many of those calls (From users) have an event of TYPE in the consumer's output.
# CallStarted carries the From URI; other events are matched to it by the gateway's call id.
events_for() {
  local ids
  ids=$(grep '^CallStarted ' "$work/events.txt" | sed -n 's/.*"callId":"\([^"]*\)".*"from":"sip:\([^@]*\)@.*/\2 \1/p' |
    sort -u | join - "$1" | awk '{print $2}' | sort -u)
  [ -n "$ids" ] || { echo 0; return; }
  grep "^$2 " "$work/events.txt" | grep -o '"callId":"[^"]*"' | sed 's/"callId":"//; s/"$//' | sort -u |
    comm -12 - <(printf '%s\n' "$ids") | wc -l
}

log "starting the event consumer"
(exec dotnet "$consumer_dll" --queue "stepaudio-scale-$$" --transient >"$work/events.txt" 2>"$work/consumer.log") &
consumer_pid=$!
deadline=$((SECONDS + 60))
until grep -q "consumer ready" "$work/consumer.log" 2>/dev/null; do
  ((SECONDS < deadline)) || { log "consumer not ready"; cat "$work/consumer.log" >&2; exit 1; }
  sleep 0.3
done

if [ "$only" = throughput ]; then
  # The default dialog limit (Sip:MaxDialogs 500) caps one gateway near 450 one-second calls a second, and the
  # 1,000 RTP port pairs each gateway gets above near 900: raise both (3,000 pairs each, 20000-37999), so the figure
  # is the gateway's, not its configuration's.
  log "starting gateways on udp/${sip_port[1]}, ${sip_port[2]}, ${sip_port[3]}"
  for i in 1 2 3; do
    start_gateway "$i" --Sip:MaxDialogs=2500 --Rtp:PortMin=$((14000 + i * 6000)) --Rtp:PortMax=$((19999 + i * 6000))
  done
else
  log "starting gateways on udp/${sip_port[1]}, ${sip_port[2]}, ${sip_port[3]} (gateway 2 with its broker unreachable)"
  start_gateway 1
  start_gateway 2 --RabbitMq:Port="$dead_broker_port"
  start_gateway 3
fi

printf '1 sip:127.0.0.1:%s 0 0\n1 sip:127.0.0.1:%s 0 0\n1 sip:127.0.0.1:%s 0 0\n' \
  "${sip_port[1]}" "${sip_port[2]}" "${sip_port[3]}" >"$work/dispatcher.list"
mkdir -p "$work/kamailio-run"
log "starting Kamailio on udp/$kam_port"
kamailio -f "$repo/deploy/kamailio/kamailio.cfg" -DD -E -Y "$work/kamailio-run" \
  -A "LISTEN=udp:127.0.0.1:$kam_port" -A "DISPATCHER_LIST=\"$work/dispatcher.list\"" 2>"$work/kamailio.log" &
kam_pid=$!
sleep 3
kill -0 "$kam_pid" 2>/dev/null || { log "Kamailio did not start"; tail -n 20 "$work/kamailio.log" >&2; exit 1; }

# best_rate NAME TARGET: places short calls at each of $rates in turn at TARGET (host:port) and prints the highest
# rate at which every call succeeded, with the load average beside it (this machine is shared).
best_rate() {
  local name=$1 target=$2 best=0 r n ok failed status load
  for r in $rates; do
    n=$((r * step_seconds))
    ((n > max_calls_per_step)) && n=$max_calls_per_step
    load=$(cut -d' ' -f1 /proc/loadavg)
    status=0
    (cd "$work" && exec sipp "$target" -sf "$repo/deploy/sipp/proxy_short_call.xml" -s gateway -i 127.0.0.1 -p 0 \
      -m "$n" -r "$r" -d 1000 -timeout $((n / r + 60))s -timeout_error -recv_timeout 10000 -max_recv_loops 1000 \
      -trace_stat -stf "$work/$name-$r.csv" -fd 1 -nostdin) >"$work/sipp-$name-$r.log" 2>&1 || status=$?
    read -r ok failed < <(sipp_counts "$name-$r")
    log "$name: $r calls/s offered, $n calls, $ok ok, $failed failed, sipp status $status, load average $load"
    ((status == 0 && failed == 0 && ok == n)) || break
    best=$r
  done
  echo "$best"
}

if [ "$only" = throughput ]; then
  one=$(best_rate one "127.0.0.1:${sip_port[1]}")
  pool=$(best_rate pool "127.0.0.1:$kam_port")
  echo "RESULT throughput one_gateway_cps_zero_failures=$one pool_of_3_via_kamailio_cps_zero_failures=$pool" \
    "(short calls of 1 s, up to ${step_seconds} s or $max_calls_per_step calls per rate; $(nproc) cores shared by all; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  exit 0
fi

calls=$((rate * seconds))

# --- spread ---
from=$(log_lines)
log "spread: $calls calls at $rate/s, ${hold_ms} ms each"
run_sipp spread "$calls"
wait "$sipp_pid" || true
read -r ok failed < <(sipp_counts spread)
echo "RESULT spread calls=$calls successful=$ok failed=$failed per_gateway:$(per_gateway "$from")"

# --- kill ---
from=$(log_lines)
log "kill: $calls calls; gateway 2 gets SIGKILL after $((seconds / 3)) s"
run_sipp kill "$calls"
sleep $((seconds / 3))
kill -KILL "${gw_pid[2]}"
killed_at=$(date +%s.%N)
wait "${gw_pid[2]}" 2>/dev/null || true
wait "$sipp_pid" || true
read -r ok failed < <(sipp_counts kill)
# The last first-choice dispatch to the dead gateway after the kill: from then on the probe had taken it out.
last_to_dead=$(tail -n +"$from" "$work/kamailio.log" | grep "dispatch .* to sip:127.0.0.1:${sip_port[2]} at" | grep -v failover |
  awk '{for (i = 1; i <= NF; i++) if ($i == "at") print $(i + 1)}' | sort -n | tail -n 1)
stopped_after=$(awk -v k="$killed_at" -v l="${last_to_dead:-0}" 'BEGIN { d = l - k; if (d < 0) d = 0; printf "%.1f", d }')
echo "RESULT kill calls=$calls successful=$ok failed=$failed lost_with_killed_gateway=$failed new_calls_stopped_going_to_it_after_s=$stopped_after per_gateway:$(per_gateway "$from")"

# Events of every call gateway 2 answered (all phases) must arrive once it is back with the broker reachable.
answered_by "${sip_port[2]}" 1 >"$work/gateway2-calls.txt"
answered2=$(wc -l <"$work/gateway2-calls.txt")
before=$(events_for "$work/gateway2-calls.txt" CallStarted)
log "restarting gateway 2 on its outbox, broker reachable"
start_gateway 2
deadline=$((SECONDS + 60))
while (($(events_for "$work/gateway2-calls.txt" CallStarted) < answered2)) && ((SECONDS < deadline)); do sleep 1; done
sleep 2
started=$(events_for "$work/gateway2-calls.txt" CallStarted)
ended=$(events_for "$work/gateway2-calls.txt" CallEnded)
outbox_ok=no
((before == 0 && started == answered2 && ended >= answered2 - failed)) && outbox_ok=yes
echo "RESULT outbox killed_gateway_calls=$answered2 delivered_before_restart=$before call_started_delivered=$started call_ended_delivered=$ended ok=$outbox_ok"

# --- drain ---
sleep 3 # the restarted gateway answers the dispatcher's probe again
from=$(log_lines)
log "drain: $calls calls; gateway 3 gets SIGTERM after $((seconds / 3)) s"
run_sipp drain "$calls"
sleep $((seconds / 3))
kill -TERM "${gw_pid[3]}"
term_at=$(date +%s.%N)
drain_exit=0
wait "${gw_pid[3]}" || drain_exit=$?
exited_after=$(awk -v t="$term_at" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - t }')
gw_pid[3]=""
wait "$sipp_pid" || true
read -r ok failed < <(sipp_counts drain)
answered_after_term=$(tail -n +"$from" "$work/kamailio.log" | grep "answered .* by 127.0.0.1:${sip_port[3]} at" |
  awk -v t="$term_at" '{for (i = 1; i <= NF; i++) if ($i == "at" && $(i + 1) > t + 0.5) n++} END {print n + 0}')
echo "RESULT drain calls=$calls successful=$ok failed=$failed drained_gateway_exit_code=$drain_exit exited_after_s=$exited_after answered_by_it_after_sigterm=$answered_after_term per_gateway:$(per_gateway "$from")"
