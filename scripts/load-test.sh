#!/usr/bin/env bash
# Load harness: runs the Release gateway on loopback (greeting off, VAD on every call) and drives it with sipp.
#   (a) calls per second: load_short_call.xml at rising rates; stops at the first rate with any failed call and
#       prints the best rate with zero failures.
#   (b) concurrent calls: load_rtp_hold.xml, N calls each streaming looped speech as RTP (50 packets/s) for the
#       hold time while the gateway plays a recorded prompt back on every call (deploy/load/flows: RTP both ways,
#       VAD and analysis on every call); prints N held, gateway CPU seconds per call-minute, peak RSS, RTP lost,
#       RTP sent, VAD windows skipped for lateness, segment analyses queued / skipped (queue full) / unfinished at
#       call end, BYE response times, the load average, and sipp's own CPU for the same calls (the floor: a peer
#       that only does SIP and RTP). Calls the gateway refused with 503 (overload guard, section Admission; read from
#       its stepaudio_calls_refused_total) are reported apart from other failures: "N accepted, M refused with 503",
#       and the skipped-window counters are those of the accepted calls.
# Usage: scripts/load-test.sh [--rates "10 25 50 100 200 300 400 500"] [--step-seconds 10] [--max-calls-per-step 2000] [--max-dialogs 2000]
#                             [--calls "100"] [--hold-seconds 60] [--transport u1|t1] [--only rate|hold] [--threads] [--gateway-dir DIR]
#                             [--no-guard] [--gateway-arg --Section:Key=value]...
# --no-guard: run the gateway with Admission:OverloadGuard=false (every call is taken, as before admission control).
# --gateway-arg: one more configuration argument for the gateway (repeatable; it wins over the script's own).
# --gateway-dir DIR: run that build of the gateway instead of this checkout's (a copy of main's, for before/after).
# --threads: also print the gateway's CPU per thread kind over the middle half of each hold (scripts/thread-cpu.sh).
# Needs a Release build (built here if missing) and sipp. All traffic stays on 127.0.0.1.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/gateway.sh
source "$repo/scripts/lib/gateway.sh"
cd "$repo"

rates="10 25 50 100 200 300 400 500"
step_seconds=10
max_calls_per_step=2000
rate_max_dialogs=2000
hold_counts="100"
hold_seconds=60
transport=u1
only=""
threads=0
gateway_dir=""
gateway_args=()
while (($#)); do
  case "$1" in
    --rates) rates=$2; shift 2 ;;
    --step-seconds) step_seconds=$2; shift 2 ;;
    --max-calls-per-step) max_calls_per_step=$2; shift 2 ;;
    --max-dialogs) rate_max_dialogs=$2; shift 2 ;;
    --calls) hold_counts=$2; shift 2 ;;
    --hold-seconds) hold_seconds=$2; shift 2 ;;
    --transport) transport=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --threads) threads=1; shift ;;
    --gateway-dir) gateway_dir=$2; shift 2 ;;
    --no-guard) gateway_args+=(--Admission:OverloadGuard=false); shift ;;
    --gateway-arg) gateway_args+=("$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$transport" in u1 | t1) ;; *) echo "--transport must be u1 (UDP) or t1 (TCP)" >&2; exit 2 ;; esac

log() { printf '[load] %s\n' "$*" >&2; }
command -v sipp >/dev/null 2>&1 || { echo "error: sipp is not installed (apt-get install sip-tester)" >&2; exit 1; }

if [ -n "$gateway_dir" ]; then # another build (e.g. a copy of main's) for before/after runs
  gateway_dir=$(cd "$gateway_dir" && pwd)
  [ -f "$gateway_dir/StepAudio.Telephony.SipGateway.dll" ] || { echo "no gateway build in $gateway_dir" >&2; exit 2; }
fi
gateway_dir=${gateway_dir:-"$repo/src/SipGateway/bin/Release/net10.0"}
gateway_dll="$gateway_dir/StepAudio.Telephony.SipGateway.dll"
if [ ! -f "$gateway_dll" ]; then
  log "no Release build; building src/SipGateway"
  dotnet build "$repo/src/SipGateway" -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
fi
bash "$repo/scripts/fetch-vad-model.sh" >/dev/null
# The gateway spools events while RabbitMQ is away, so a failure to start it does not stop the load test.
bash "$repo/scripts/start-rabbitmq.sh" >/dev/null 2>&1 || log "RabbitMQ not started; events stay spooled"

work="$repo/.cache/load/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$work"
log "sipp and gateway logs go to $work"
bash "$repo/scripts/make-speech.sh" "$work" >/dev/null
# What the gateway plays on held calls (deploy/load/flows/load.yaml): 8 kHz speech, as a recorded prompt would be.
espeak-ng -s 160 -w "$work/prompt-raw.wav" "Thank you for calling. All of our agents are busy helping other customers. \
Please stay on the line, your call is important to us, and it will be answered in the order it was received."
sox "$work/prompt-raw.wav" -r 8000 -c 1 -b 16 "$work/prompt.wav"

gateway_pid=""
sipp_pid=""
cleanup() {
  # sipp runs under /usr/bin/time (its CPU is the floor): stop sipp itself, then time.
  [ -n "$sipp_pid" ] && pkill -P "$sipp_pid" 2>/dev/null || true
  [ -n "$sipp_pid" ] && kill "$sipp_pid" 2>/dev/null || true
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Starts a fresh gateway (so peak RSS belongs to one phase) and sets gateway_pid and sip_port.
# sipp is configured as a trunk (a contact centre's SBC sends every call from one address): listed trunks are
# never rate-limited, unlisted sources are, per address (SipSecurity:RequestsPerSecond/Burst).
# The metrics and health endpoints stay on (as in production) but on free ports, so that a gateway another engineer
# runs on this machine (on the default 9464/9465) does not stop this one from starting.
start_gateway() { # log-file max-calls [extra gateway arguments...]
  local log_file=$1 max_calls=$2 health_port
  shift 2
  metrics_port=$(free_port 19464)
  health_port=$(free_port $((metrics_port + 1)))
  (cd "$gateway_dir" && exec dotnet "$gateway_dll" --Sip:ListenAddress=127.0.0.1 --Sip:Port=0 \
      --Metrics:Port="$metrics_port" --Health:Port="$health_port" \
      --SipSecurity:Trunks:0:Name=loopback-caller --SipSecurity:Trunks:0:Addresses:0=127.0.0.1/32 \
      --Rtp:BindAddress=127.0.0.1 --Calls:Greeting= --CallFlow:Enabled=false --Calls:MaxConcurrentCalls="$max_calls" \
      --Sip:MaxDialogs="$max_calls" "$@" "${gateway_args[@]}") \
    >"$log_file" 2>&1 &
  gateway_pid=$!
  sip_port=$(wait_for_sip_port "$log_file" "$gateway_pid" 60) || exit 1
}

# The gateway's Prometheus text (nothing when the endpoint is unreachable).
gateway_metrics() { curl -s --max-time 10 "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null || true; }

# New calls the gateway answered 503 (stepaudio_calls_refused_total, all reasons; 0 when the endpoint is unreachable)
# and the same per reason ("overload=12 capacity=3").
calls_refused() {
  gateway_metrics |
    awk '/^stepaudio_calls_refused_total[{ ]/ { r = "?"; if (match($0, /reason="[^"]*"/)) r = substr($0, RSTART + 8, RLENGTH - 9)
           n[r] += $NF; t += $NF } END { printf "%d", t; for (k in n) printf " %s=%d", k, n[k]; print "" }'
}

# Wall time the VAD inference threads spent running batches so far, in ms (stepaudio_vad_batch_duration_milliseconds_sum
# over every series; empty when the endpoint is unreachable).
vad_busy_ms() {
  gateway_metrics |
    awk '/^stepaudio_vad_batch_duration_milliseconds_sum/ { s += $NF; seen = 1 } END { if (seen) printf "%.0f\n", s }'
}

stop_gateway() {
  kill "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=""
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Runs sipp in the work folder, bounded by its own -timeout; returns sipp's exit status (0: every call succeeded).
run_sipp() { # name scenario extra-args...
  local name=$1 scenario=$2; shift 2
  (cd "$work" && exec /usr/bin/time -f "%U %S" -o "$work/$name.time" sipp "127.0.0.1:$sip_port" -sf "$repo/deploy/sipp/$scenario" -s gateway -t "$transport" \
      -i 127.0.0.1 -p 0 -mp 42000 -nostdin -trace_stat -stf "$work/$name.csv" -fd 1 -trace_rtt -rtt_freq 1 \
      -trace_err -error_file "$work/$name.errors" "$@") >"$work/$name.out" 2>&1 &
  sipp_pid=$!
  local status=0
  wait "$sipp_pid" || status=$?
  sipp_pid=""
  # -trace_rtt names its file after the scenario and sipp's pid; give it the step's name.
  mv "$work/${scenario%.xml}"_*_rtt.csv "$work/$name.rtt.csv" 2>/dev/null || true
  return "$status"
}

# Column of the last line of a sipp statistics file, by header name.
stat_column() { # csv column
  awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } { v = $c } END { print v + 0 }' "$1"
}

# Answered calls per second and INVITE->200 times, from sipp's per-call trace: "time since start ms;rtd ms;rtd".
rtt_summary() { # rtt-csv -> "achieved_cps p50_ms p99_ms"
  local rate p50 p99
  rate=$(tail -n +2 "$1" | cut -d';' -f1 | sort -n |
    awk 'NR == 1 { f = $1 } { l = $1 } END { printf "%.0f", (NR > 1 && l > f) ? (NR - 1) * 1000 / (l - f) : 0 }')
  read -r p50 p99 < <(tail -n +2 "$1" | cut -d';' -f2 | sort -n |
    awk '{ r[NR] = $1 } END { printf "%d %d\n", r[int((NR - 1) * 0.5) + 1], r[int((NR - 1) * 0.99) + 1] }')
  echo "$rate $p50 $p99"
}

clk_tck=$(getconf CLK_TCK)
log "machine: $(nproc) cores; transport ${transport/u1/UDP}; figures are lower bounds if other work shares the CPU"

if [ "$only" != "hold" ]; then
  start_gateway "$work/gateway-rate.log" "$rate_max_dialogs"
  log "gateway on 127.0.0.1:$sip_port (pid $gateway_pid)"
  best=0
  for rate in $rates; do
    calls=$((rate * step_seconds))
    ((calls > max_calls_per_step)) && calls=$max_calls_per_step
    started=$SECONDS
    status=0
    run_sipp "rate-$rate" load_short_call.xml -r "$rate" -m "$calls" -timeout $((calls / rate + 60))s -timeout_error \
      -recv_timeout 10000 || status=$?
    ok=$(stat_column "$work/rate-$rate.csv" "SuccessfulCall(C)")
    failed=$(stat_column "$work/rate-$rate.csv" "FailedCall(C)")
    read -r achieved p50 p99 < <(rtt_summary "$work/rate-$rate.rtt.csv")
    log "rate $rate cps: $calls calls, $ok ok, $failed failed, sipp status $status, $((SECONDS - started)) s;" \
      "answered at $achieved calls/s, INVITE->200 p50 ${p50} ms p99 ${p99} ms"
    if ((status != 0 || failed != 0 || ok != calls)); then
      log "stopping at $rate cps (see $work/rate-$rate.errors)"
      break
    fi
    best=$rate best_achieved=$achieved best_p99=$p99
    if ((achieved * 10 < rate * 9)); then
      log "stopping: calls were answered at under 90% of the $rate cps offered"
      break
    fi
  done
  stop_gateway
  echo "RESULT offered_cps_zero_failures=$best answered_cps=${best_achieved:-0} invite_p99_ms=${best_p99:-0}" \
    "(short calls: INVITE/200/ACK/1 s/BYE, up to ${step_seconds} s or $max_calls_per_step calls per step)"
fi

if [ "$only" != "rate" ]; then
  for n in $hold_counts; do
    start_gateway "$work/gateway-hold-$n.log" $((n + 50)) --CallFlow:Enabled=true \
      --CallFlow:Directory="$repo/deploy/load/flows" --CallFlow:Watch=false --Prompts:Directory="$work"
    log "holding $n calls for $hold_seconds s with RTP both ways (gateway pid $gateway_pid; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    before=$(cpu_ticks "$gateway_pid")
    started=$SECONDS
    status=0
    # Start all calls within a few seconds (at most 50 per second) and keep every one of them open at once.
    launch_rate=$((n < 50 ? n : 50))
    profiler_pid=""
    # The middle half of the hold, once every call is up: when it starts (s from now) and how long it lasts.
    middle_from=$((n / launch_rate + hold_seconds / 4)) middle_for=$((hold_seconds / 2))
    # How busy the inference threads were over it (what the admission guard's Admission:BusyFraction reads): their
    # run time over the wall time of one thread per core.
    rm -f "$work/busy-$n.txt"
    (sleep "$middle_from" && b0=$(vad_busy_ms) && sleep "$middle_for" && b1=$(vad_busy_ms) &&
      awk -v a="$b0" -v b="$b1" -v s="$middle_for" -v c="$(nproc)" 'BEGIN { if (a != "" && b != "") printf "%.2f\n", (b - a) / 1000 / s / c }' \
      >"$work/busy-$n.txt") &
    busy_pid=$!
    if ((threads)); then # per-thread CPU over the same middle half
      (sleep "$middle_from" && bash "$repo/scripts/thread-cpu.sh" "$gateway_pid" "$middle_for" \
        >"$work/threads-$n.txt" 2>&1) &
      profiler_pid=$!
    fi
    run_sipp "hold-$n" load_rtp_hold.xml -r "$launch_rate" -m "$n" -l "$n" -d $((hold_seconds * 1000)) \
      -timeout $((hold_seconds + n / launch_rate + 60))s -timeout_error -recv_timeout 15000 || status=$?
    after=$(cpu_ticks "$gateway_pid")
    wall=$((SECONDS - started))
    wait "$busy_pid" 2>/dev/null || true
    vad_busy=$(cat "$work/busy-$n.txt" 2>/dev/null); vad_busy=${vad_busy:--}
    if [ -n "$profiler_pid" ]; then
      wait "$profiler_pid" 2>/dev/null || true
      log "gateway threads during the hold of $n calls (scripts/thread-cpu.sh):"
      cat "$work/threads-$n.txt" >&2
    fi
    peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$gateway_pid/status")
    ok=$(stat_column "$work/hold-$n.csv" "SuccessfulCall(C)")
    failed=$(stat_column "$work/hold-$n.csv" "FailedCall(C)")
    sleep 1 # the last "Call ... ended" lines
    read -r refused refused_by_reason < <(calls_refused) || refused=0
    overloads=$(grep -c "Overloaded:" "$work/gateway-hold-$n.log" || true)
    stop_gateway
    cpu_s=$(awk -v t=$((after - before)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
    per_call_min=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="$((ok > 0 ? ok : n))" -v s="$hold_seconds" \
      'BEGIN { printf "%.3f", t / hz / n / (s / 60) }')
    # CallManager logs "RTP in N, lost M, duplicated D, out K; VAD windows skipped S" when each call ends; each figure
    # is read by the word before it, so a field added to that line does not shift the others.
    read -r rtp_calls rtp_in rtp_lost lossy_calls rtp_out skipped deaf_calls < <(
      grep -o "RTP in [0-9-]*, lost [0-9-]*,.* out [0-9-]*; VAD windows skipped [0-9-]*" "$work/gateway-hold-$n.log" |
      awk '{ gsub(/[,;]/, ""); for (f = 1; f < NF; f++) { if ($f == "in") pin = $(f + 1); if ($f == "lost") plost = $(f + 1); if ($f == "out") pout = $(f + 1); if ($f == "skipped") ps = $(f + 1) }
             c++; i += pin; l += plost; if (plost > 0) k++; o += pout; s += ps; if (ps > 0) d++ }
           END { print c + 0, i + 0, l + 0, k + 0, o + 0, s + 0, d + 0 }')
    # BYE -> 200 times (the scenario's rtd "bye" timer; sipp -trace_rtt writes "ms since start;rtd ms;rtd name").
    read -r analyses_queued analyses_skipped analyses_unfinished < <(
      grep -o "analyses queued [0-9]*, skipped [0-9]*, unfinished [0-9]*" "$work/gateway-hold-$n.log" |
      awk '{ gsub(/,/, ""); q += $3; s += $5; u += $7 } END { print q + 0, s + 0, u + 0 }')
    read -r bye_p50 bye_p99 bye_max < <(awk -F';' 'NR > 1 && $3 == "bye" { print $2 }' "$work/hold-$n.rtt.csv" 2>/dev/null | sort -n |
      awk '{ r[NR] = $1 } END { if (NR == 0) print "- - -"; else printf "%d %d %d\n", r[int((NR - 1) * 0.5) + 1], r[int((NR - 1) * 0.99) + 1], r[NR] }')
    # GNU time puts "Command exited with non-zero status N" first when sipp fails: the figures are the last line.
    read -r sipp_user sipp_sys < <(tail -n 1 "$work/hold-$n.time" 2>/dev/null) || { sipp_user=0; sipp_sys=0; }
    sipp_per_call_min=$(awk -v u="$sipp_user" -v s="$sipp_sys" -v n="$n" -v h="$hold_seconds" 'BEGIN { printf "%.3f", (u + s) / n / (h / 60) }')
    load_after=$(cut -d' ' -f1 /proc/loadavg)
    log "hold $n: $ok accepted and completed, $refused refused with 503 (${refused_by_reason:-none}; overload entered $overloads times), $((failed - refused)) other failures, sipp status $status, $wall s;" \
      "on the accepted calls: gateway CPU ${cpu_s} s; RTP in $rtp_in, lost $rtp_lost, out $rtp_out over $rtp_calls calls;" \
      "VAD windows skipped $skipped on $deaf_calls calls (inference threads ${vad_busy} busy); segment analyses $analyses_queued queued, $analyses_skipped skipped (queue full), $analyses_unfinished unfinished at call end; BYE->200 p50 ${bye_p50} ms p99 ${bye_p99} ms max ${bye_max} ms; sipp CPU $sipp_user s user + $sipp_sys s sys"
    echo "RESULT concurrent_calls=$n ok=$ok failed=$failed refused_503=$refused overloads=$overloads held_s=$hold_seconds gateway_cpu_s=$cpu_s" \
      "cpu_s_per_call_minute=$per_call_min peak_rss_mb=$((peak_kb / 1024)) rtp_in=$rtp_in rtp_lost=$rtp_lost calls_with_loss=$lossy_calls" \
      "rtp_out=$rtp_out vad_windows_skipped=$skipped calls_with_skips=$deaf_calls vad_busy=$vad_busy analyses_queued=$analyses_queued analyses_skipped=$analyses_skipped analyses_unfinished=$analyses_unfinished bye_p50_ms=$bye_p50 bye_p99_ms=$bye_p99 bye_max_ms=$bye_max" \
      "sipp_cpu_s_per_call_minute=$sipp_per_call_min load_average=$load_before..$load_after"
    # A call refused with 503 was turned away cleanly (the trunk routes it elsewhere); any other failure stops the run.
    if ((failed != refused || ok + refused != n)); then
      log "stopping: not every held call was either completed or refused with 503 (see $work/hold-$n.errors)"
      break
    fi
  done
fi
