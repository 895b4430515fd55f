#!/usr/bin/env bash
# Builds the 60-sentence pitch set behind README's "Pitch through the phone line" figures: the first six EmoDB
# sentences (by file name; angry, happy, neutral and sad only) of each of the 10 speakers, wideband and through the
# telephone channel, from the sets scripts/fetch-training-data.sh builds. The speakers of the committed test clips
# (emodb-03, emodb-08; scripts/lib/test-subset.sh) are included; SKIP_HELD_OUT=1 leaves them out (48 sentences: the set the tracker was tuned on).
# REST=1 takes every other sentence of the four emotions instead (the 7th on, by file name, of each speaker): a set
# nothing was tuned on, for checking a change chosen on the 48.
# Usage: make-pitch-set.sh OUT_DIR [DATA_DIR]   (DATA_DIR default .cache/training), then
#   STEPAUDIO_PITCH_SET=OUT_DIR dotnet test tests/Inference.Tests -c Release --filter TelephonePitchTests
set -euo pipefail
out=${1:?usage: make-pitch-set.sh OUT_DIR [DATA_DIR]}
data=${2:-.cache/training}
# shellcheck source=lib/test-subset.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/test-subset.sh"
rm -rf "$out/wideband" "$out/telephone"
mkdir -p "$out/wideband" "$out/telephone"
for dir in "$data"/wideband/emotion/*/emodb-*; do basename "$dir"; done | sort -u | while read -r speaker; do
  if [ "${SKIP_HELD_OUT:-0}" = 1 ] && [[ " ${test_subset_emodb[*]} " == *" $speaker "* ]]; then continue; fi
  find "$data"/wideband/emotion/*/"$speaker" -name '*.wav' -printf '%f %p\n' | sort |
    if [ "${REST:-0}" = 1 ]; then tail -n +7; else head -n 6; fi | while read -r name path; do
    label=$(basename "$(dirname "$(dirname "$path")")")
    cp "$path" "$out/wideband/$name"
    cp "$data/telephone/emotion/$label/$speaker/$name" "$out/telephone/$name"
  done
done
echo "pitch set: $(find "$out/wideband" -name '*.wav' | wc -l) sentences in $out"
