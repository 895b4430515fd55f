#!/usr/bin/env bash
# Sets up what the tests need (see setup.sh), runs every test project, and ends with one line
# "N passed, M failed" summed over all of them from their TRX results.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

SKIP_BUILD=1 bash "$repo/scripts/setup.sh" || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

results="$repo/TestResults"
rm -rf "$results"
mkdir -p "$results"

mkdir -p "$repo/.cache"
if ! dotnet build "$repo/StepAudio.Telephony.sln" -c Release -nologo -v quiet >"$repo/.cache/build.log" 2>&1; then
  cat "$repo/.cache/build.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Test projects run one after another: the machine has two cores and several suites start servers.
rc=0
for proj in $(find "$repo/tests" -name '*.Tests.csproj' | sort); do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1200000 2>&1 | tee "$results/$name.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
done

# CI shows only the end of what this prints: repeat each failure (name and error message) just above the summary.
for log in "$results"/*.log; do
  [ -f "$log" ] || continue
  if grep -q -E '^  Failed StepAudio\.' "$log"; then
    echo "=== failures in $(basename "$log" .log)"
    grep -A 12 -E '^  Failed StepAudio\.' "$log" | cut -c 1-400
  fi
  grep -h -E 'The active test run was aborted|Test host process crashed|Aborting test run' "$log" || true
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
  failed=1   # a suite crashed or timed out before it could record a failure
fi
echo "$passed passed, $failed failed"
exit $rc
