#!/usr/bin/env bash
# Analytics event load harness: call events per second through the gateway's publishing stack with publisher
# confirms, and the delay from detection (the event's Timestamp) to an independent consumer, against the real
# RabbitMQ on 127.0.0.1:5672 (started here through scripts/start-rabbitmq.sh when it is not running).
# Usage: scripts/event-load.sh [--events 5000] [--calls 50] [--rate 200] [--rate-seconds 10] [--outbox on|off]
# The outbox (on by default, as in the gateway) lives in a temporary folder that is deleted afterwards.
# Prints RESULT lines: confirmed events/s, received events/s, peak queue depth, delay p50/p95/p99, duplicates and
# order violations; exits non-zero when an event is missing or out of order. Defaults finish in well under 60 s.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  bash scripts/start-rabbitmq.sh
fi

project=benchmarks/StepAudio.Telephony.Benchmarks
dotnet build "$project" -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
exec dotnet "$project/bin/Release/net10.0/StepAudio.Telephony.Benchmarks.dll" event-load "$@"
