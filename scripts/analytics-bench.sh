#!/usr/bin/env bash
# Analytics store benchmark: events/s that the analytics service ingests from the real RabbitMQ into its store
# (each message acknowledged only after the database committed it), then the time it takes to answer the call list,
# a filtered call list, a call's detail and the trends over HTTP with --stored-calls calls stored.
# Usage: scripts/analytics-bench.sh [--provider sqlite|postgres] [--ingest-calls 1000] [--stored-calls 100000]
#                                   [--sqlite-synchronous FULL|NORMAL] [--write-batch-size 100 (1: one event per transaction)]
# Starts RabbitMQ (and PostgreSQL for --provider postgres) through the repo's scripts when they are not running;
# the database is a throw-away SQLite file or PostgreSQL database, removed afterwards. Prints RESULT lines.
# Bounded: 1,000 calls (8,000 events) to ingest and 100,000 calls to seed take a few minutes on two cores.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  bash scripts/start-rabbitmq.sh
fi
if [[ " $* " == *" postgres "* ]] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  bash scripts/start-postgres.sh
fi

project=benchmarks/StepAudio.Telephony.Benchmarks
dotnet build "$project" -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary"
exec dotnet "$project/bin/Release/net10.0/StepAudio.Telephony.Benchmarks.dll" analytics-store "$@"
