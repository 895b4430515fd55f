#!/usr/bin/env bash
# Media load harness: how many calls with live RTP in and out one core sustains with no packet late by more than
# 5 ms. The gateway half (real RtpSessions: G.711 decode + 8→16 kHz resampling of caller audio, a prompt played
# back at 20 ms pacing) is pinned to CPU 0; the far end (streams in, measures lateness out) to CPU 1.
# Usage: scripts/media-load.sh [--calls "100 200 400"] [--seconds 30]
# Prints each step's figures (lateness percentiles, share of packets late by more than 5 ms, CPU per call) and the
# largest call count with no late packet. All traffic stays on 127.0.0.1.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

counts="25 50 100 200 400"
seconds=20
while (($#)); do
  case "$1" in
    --calls) counts=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v taskset >/dev/null 2>&1 || { echo "error: taskset (util-linux) is required" >&2; exit 1; }
(($(nproc) >= 2)) || { echo "error: needs 2 CPUs (gateway on one, far end on the other)" >&2; exit 1; }

project=benchmarks/StepAudio.Telephony.Benchmarks
dotnet build "$project" -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
dll="$project/bin/Release/net10.0/StepAudio.Telephony.Benchmarks.dll"

best=0
for calls in $counts; do
  echo "== $calls calls, $seconds s"
  taskset -c 0 dotnet "$dll" media-gateway --calls "$calls" --seconds $((seconds + 2)) &
  gateway=$!
  sleep 2
  out=$(taskset -c 1 dotnet "$dll" media-peer --calls "$calls" --seconds "$seconds")
  wait "$gateway"
  echo "$out"
  if grep -q "RESULT: PASS" <<<"$out"; then best=$calls; fi
done
echo "largest call count with no packet late by more than 5 ms on one core: $best"
