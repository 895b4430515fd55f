#!/usr/bin/env bash
# Isolates what the mel cepstrum (MelCepstrum: mfcc1–12 mean/std/delta over 20 mel filters, onset flux; issue 14)
# adds to the vocal-event model: trains it twice with scripts/train-paralinguistics.sh on the same build, data,
# speakers, folds and bounds, once with every measure and once with those measures left out (--exclude-measure), and
# scores both models on the sounds no training reads (DATA_DIR/{telephone,wideband}/nontarget: Coswara's deep
# breathing). The shipped model and DATA_DIR are not written: models, tables and reports go to OUT_DIR. Both runs share
# one feature cache (FEATURE_CACHE, default OUT_DIR/features), so the second measures nothing again; do not rebuild
# src/ between them (the cache is keyed to the build).
# Usage: compare-event-measures.sh DATA_DIR OUT_DIR
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:?DATA_DIR}
out=${2:?OUT_DIR}
mkdir -p "$out/with" "$out/without"
export FEATURE_CACHE=${FEATURE_CACHE:-$out/features}
export TRAIN_TASKS=events
export VOCAL_EVENT_MEL_CEPSTRUM=1 # offered to both runs; the second leaves it out by name
excluded="--exclude-measure mfcc* --exclude-measure onset_flux*"

run() { # name, extra train args
  local name=$1
  echo "== $name: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  VOCAL_EVENT_OUT="$out/$name/vocal-events.json" VOCAL_EVENT_CV="$out/$name/vocal-events.cv.txt" \
    VOCAL_EVENT_ARGS="${VOCAL_EVENT_ARGS:-} $2" bash "$repo/scripts/train-paralinguistics.sh" "$data" >/dev/null
  printf '{"Paralinguistics": {"VocalEventModel": "%s"}}\n' "$out/$name/vocal-events.json" > "$out/$name/settings.json"
  for channel in telephone wideband; do
    if [ -d "$data/$channel/nontarget" ]; then
      nice -n 10 dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll" eval "$data/$channel/nontarget" \
        --config "$out/$name/settings.json" > "$out/$name/nontarget-$channel.txt"
    fi
  done
  echo "== $name done: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

for channel in telephone wideband; do # the shipped model on the same sounds, for reference
  mkdir -p "$out/shipped"
  if [ -d "$data/$channel/nontarget" ]; then
    nice -n 10 dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll" eval "$data/$channel/nontarget" > "$out/shipped/nontarget-$channel.txt"
  fi
done
set -f # the exclusions are patterns for --exclude-measure, not for the shell
run with ""
run without "$excluded"
set +f
for name in with without; do
  echo "### $name"
  grep -E "target UAR|raised an event|non-target|false alarm" "$out/$name/vocal-events.cv.txt" | head -20 || true
done
