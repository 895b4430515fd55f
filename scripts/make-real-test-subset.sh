#!/usr/bin/env bash
# Copies the small real test subset committed under tests/data/real (see its NOTICE.md) out of the sets that
# scripts/fetch-training-data.sh builds. Its speakers are the ones scripts/train-paralinguistics.sh leaves out, so the
# CI floors measure the shipped models on voices they never heard. Usage: make-real-test-subset.sh [DATA_DIR]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:-.cache/training}
out="$repo/tests/data/real"
# shellcheck source=lib/test-subset.sh
source "$repo/scripts/lib/test-subset.sh"
# pitch/praat is left alone: scripts/praat-pitch.sh makes it from pitch/wideband, and Praat is not needed here.
rm -rf "$out/events" "$out/emotion" "$out/pitch/wideband" "$out/pitch/telephone" "$out/speech" "$out/counting"

# Vocal events, telephone channel: every clip of three EmoGator contributors (laugh, sigh, crying, gasp, none).
for speaker in "${test_subset_emogator[@]}"; do
  for dir in "$data"/telephone/events/*/"$speaker"; do
    label=$(basename "$(dirname "$dir")")
    mkdir -p "$out/events/$label/$speaker"
    cp "$dir"/*.wav "$out/events/$label/$speaker/"
  done
done

# Coughs, telephone channel: every clip of three Coswara participants (two men, one woman): their cough bursts
# (events/cough), their breathing, shallow and deep (events/none), and their counting (speech/none).
for speaker in "${test_subset_coswara[@]}"; do
  for dir in "$data"/telephone/{events,nontarget,speech}/*/"$speaker"; do
    label=$(basename "$(dirname "$dir")")
    set=$(basename "$(dirname "$(dirname "$dir")")")
    [ "$set" != nontarget ] || set=events
    mkdir -p "$out/$set/$label/$speaker"
    cp "$dir"/*.wav "$out/$set/$label/$speaker/"
  done
done

# Counting aloud as a call cuts it, telephone channel: every speech segment of the same three Coswara participants
# (DATA_DIR/counting, built by scripts/make-counting-set.sh), labelled neutral.
for speaker in "${test_subset_coswara[@]}"; do
  mkdir -p "$out/counting/neutral/$speaker"
  cp "$data/counting/every/telephone/neutral/$speaker"/*.wav "$out/counting/neutral/$speaker/"
done

# Emotion, telephone channel: three sentences per emotion of two EmoDB speakers (a man, 03, and a woman, 08); the
# first six of each speaker also go to the pitch test, wideband and telephone.
for speaker in "${test_subset_emodb[@]}"; do
  for label in angry happy neutral sad; do
    mkdir -p "$out/emotion/$label/$speaker"
    find "$data/telephone/emotion/$label/$speaker" -name '*.wav' | sort | head -n 3 | xargs -I{} cp {} "$out/emotion/$label/$speaker/"
  done
  mkdir -p "$out/pitch/wideband" "$out/pitch/telephone"
  find "$out/emotion" -path "*/$speaker/*.wav" | sort | head -n 6 | while read -r f; do
    name=$(basename "$f")
    label=$(basename "$(dirname "$(dirname "$f")")")
    cp "$data/wideband/emotion/$label/$speaker/$name" "$out/pitch/wideband/$name"
    cp "$data/telephone/emotion/$label/$speaker/$name" "$out/pitch/telephone/$name"
  done
done
echo "real test subset: $(find "$out" -name '*.wav' | wc -l) clips, $(du -sh "$out" | cut -f1)"
