#!/usr/bin/env bash
# PROTOS c07-sip (University of Oulu, OUSPG; GPL-2.0 test material, not shipped in this repository) against the
# Release gateway on loopback: 4,527 INVITEs (case 0 valid, the rest malformed), sent in batches. After each batch the
# script checks that the gateway is alive (its process runs and an OPTIONS gets 200, deploy/sipp/options_ping.xml) and
# records its resident memory, so a leak shows as RSS that keeps rising instead of levelling off.
#
# Usage: scripts/protos.sh --jar PATH/c07-sip-r2.jar [--batch 500] [--start 0] [--stop 4526] [--delay-ms 10]
#                          [--replywait-ms 100] [--no-teardown] [--gateway-dir DIR]
#   --jar        the c07-sip-r2.jar (or set PROTOS_JAR). Where to get it: Kali's package protos-sip
#                (/usr/share/protos-sip/protos-sip.jar), the upstream branch of github.com/foreni-packages/protos-sip,
#                or https://www.ee.oulu.fi/research/ouspg/PROTOS_Test-Suite_c07-sip. The r2 jar measured in the
#                README has SHA-256 4cd5a14a9c333a5454d050e281869a6c3a4a41eefb939f8de4f9db33b5c68e15.
#   --batch      cases per batch between liveness checks.
#   --delay-ms   PROTOS's pause between cases; --replywait-ms how long it waits for each reply.
#   --gateway-dir  run the gateway from this copy of the Release output (so a rebuild meanwhile cannot touch it).
#   --no-teardown  do not let PROTOS send CANCEL/ACK after each case (calls then end by the 64*T1 ACK timeout).
# PROTOS runs with -Dfile.encoding=ISO-8859-1: under a UTF-8 default its size limit cuts strings by byte count and
# throws on case 28 (String.substring past the end), ending the batch early.
# Needs java (apt-get install default-jre-headless), sipp and a Release build (built here if missing).
# Exit status: 0 when every batch left the gateway alive, 1 otherwise. Everything stays on 127.0.0.1.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/gateway.sh
source "$repo/scripts/lib/gateway.sh"
cd "$repo"

jar=${PROTOS_JAR:-}
batch=500
first=0
last=4526
delay_ms=10
replywait_ms=100
teardown=(-teardown)
gateway_dir="$repo/src/SipGateway/bin/Release/net10.0"
while (($#)); do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --start) first=$2; shift 2 ;;
    --stop) last=$2; shift 2 ;;
    --delay-ms) delay_ms=$2; shift 2 ;;
    --replywait-ms) replywait_ms=$2; shift 2 ;;
    --no-teardown) teardown=(); shift ;;
    --gateway-dir) gateway_dir=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

log() { printf '[protos] %s\n' "$*" >&2; }
[ -n "$jar" ] && [ -f "$jar" ] || { echo "error: give the PROTOS c07-sip jar with --jar PATH (or PROTOS_JAR); see the top of this script" >&2; exit 2; }
command -v java >/dev/null 2>&1 || { echo "error: java is not installed (apt-get install default-jre-headless)" >&2; exit 1; }
command -v sipp >/dev/null 2>&1 || { echo "error: sipp is not installed (apt-get install sip-tester)" >&2; exit 1; }
sha=$(sha256sum "$jar" | cut -d' ' -f1)
[ "$sha" = 4cd5a14a9c333a5454d050e281869a6c3a4a41eefb939f8de4f9db33b5c68e15 ] || log "note: $jar is not the c07-sip-r2.jar the README figures used (sha256 $sha)"

gateway_dll="$gateway_dir/StepAudio.Telephony.SipGateway.dll"
if [ ! -f "$gateway_dll" ]; then
  log "no Release build; building src/SipGateway"
  dotnet build "$repo/src/SipGateway" -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
fi
bash "$repo/scripts/fetch-vad-model.sh" >/dev/null

work="$repo/.cache/protos/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$work"
log "logs go to $work"

gateway_pid=""
java_pid=""
cleanup() {
  [ -n "$java_pid" ] && kill "$java_pid" 2>/dev/null || true
  if [ -n "$gateway_pid" ]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap "exit 143" INT TERM

# The loopback source is listed as a trunk so the per-source rate limiter does not drop PROTOS's cases unparsed:
# every case must reach the parser. No RabbitMQ is needed (events spool), no flow runs, and no greeting is played.
# The overload guard is off: liveness is probed with OPTIONS, which a guard that saw a stall would answer 503.
metrics_port=$(free_port 19564)
health_port=$(free_port $((metrics_port + 1)))
(cd "$gateway_dir" && exec dotnet "$gateway_dll" --Sip:ListenAddress=127.0.0.1 --Sip:Port=0 \
    --Metrics:Port="$metrics_port" --Health:Port="$health_port" \
    --SipSecurity:Trunks:0:Name=protos --SipSecurity:Trunks:0:Addresses:0=127.0.0.1/32 \
    --Rtp:BindAddress=127.0.0.1 --Calls:Greeting= --CallFlow:Enabled=false --Admission:OverloadGuard=false) >"$work/gateway.log" 2>&1 &
gateway_pid=$!
sip_port=$(wait_for_sip_port "$work/gateway.log" "$gateway_pid" 90) || exit 1
log "gateway on 127.0.0.1:$sip_port (pid $gateway_pid)"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$gateway_pid/status" 2>/dev/null || echo 0; }

alive() { # the process runs and answers OPTIONS with 200 (sipp exits 0 only then); three tries of 1 s each
  local try
  for try in 1 2 3; do
    kill -0 "$gateway_pid" 2>/dev/null || return 1
    (cd "$work" && timeout 20 sipp "127.0.0.1:$sip_port" -sf "$repo/deploy/sipp/options_ping.xml" -m 1 -i 127.0.0.1 \
        -timeout 10s -timeout_error -nostdin >>"$work/options.log" 2>&1) && return 0
  done
  return 1
}

alive || { log "gateway does not answer OPTIONS before the first case"; exit 1; }
rss_start=$(rss_kb)
printf 'batch\tcases\talive\trss_kb\n' | tee "$work/batches.tsv"
protos_port=$(free_port 25060)
failed=0
batches=0
for ((from = first; from <= last; from += batch)); do
  to=$((from + batch - 1))
  ((to > last)) && to=$last
  (cd "$work" && exec java -Dfile.encoding=ISO-8859-1 -jar "$jar" -touri "protos@127.0.0.1" -sendto 127.0.0.1 -dport "$sip_port" -lport "$protos_port" \
      -start "$from" -stop "$to" -delay "$delay_ms" -replywait "$replywait_ms" "${teardown[@]}") >>"$work/protos.log" 2>&1 &
  java_pid=$!
  wait "$java_pid" || log "PROTOS exited with status $? on $from-$to (see protos.log)"
  java_pid=""
  batches=$((batches + 1))
  state=yes
  alive || { state=no; failed=1; }
  printf '%s-%s\t%s\t%s\t%s\n' "$from" "$to" $((to - from + 1)) "$state" "$(rss_kb)" | tee -a "$work/batches.tsv"
  [ "$state" = yes ] || { log "gateway not alive after cases $from-$to"; break; }
done

rss_end=$(rss_kb)
unhandled=$(grep -c -i "unhandled exception" "$work/gateway.log" || true)
cases=$((last - first + 1))
sent=$(grep -c "^Sending Test-Case" "$work/protos.log" || true)
echo "PROTOS c07-sip: cases $first-$last ($cases, $sent sent) in $batches batches; gateway alive after every batch: $([ $failed = 0 ] && echo yes || echo NO)"
echo "RSS before ${rss_start} kB, after ${rss_end} kB; unhandled exceptions in the gateway log: $unhandled; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
