#!/usr/bin/env bash
# Builds the 60-sentence pitch set behind README's "Pitch through the phone line" figures: the first six EmoDB
# sentences (by file name; angry, happy, neutral and sad only) of each of the 10 speakers, wideband and through the
# telephone channel, from the sets scripts/fetch-training-data.sh builds. The speakers of the committed test clips
# (emodb-03, emodb-08; scripts/lib/test-subset.sh) are included; SKIP_HELD_OUT=1 leaves them out (48 sentences: the set the tracker was tuned on).
# REST=1 takes every other sentence of the four emotions instead (the 7th on, by file name, of each speaker): a set
# nothing was tuned on, for checking a change chosen on the 48.
# SOURCE=coswara builds a second, unseen set instead, of other voices (Indian English, many speakers): Coswara's
# 2020-04-13 participants (CC BY 4.0; see scripts/fetch-training-data.sh and NOTICE), their counting-normal,
# counting-fast, vowel-a, vowel-e and vowel-o recordings that the annotators did not mark bad (quality 0) and that
# are not a byte-for-byte copy of one already taken, whole (not cut at 4 s), from the 48 kHz originals: wideband =
# 16 kHz 16-bit, telephone = scripts/telephone-channel.sh of it, as the training sets are made. It reads
# COSWARA_GIT (a git directory of github.com/therealmanraj/coswara holding commit c06e422) and COSWARA_LABELS_GIT
# (github.com/iiscleap/Coswara-Data); DATA_DIR is not read. Nothing is tuned on this set: it is the report set.
# Usage: make-pitch-set.sh OUT_DIR [DATA_DIR]   (DATA_DIR default .cache/training), then
#   STEPAUDIO_PITCH_SET=OUT_DIR dotnet test tests/Inference.Tests -c Release --filter TelephonePitchTests
set -euo pipefail
out=${1:?usage: make-pitch-set.sh OUT_DIR [DATA_DIR]}
data=${2:-.cache/training}
here=$(dirname "${BASH_SOURCE[0]}")
if [ "${SOURCE:-emodb}" = coswara ]; then
  coswara=${COSWARA_GIT:?SOURCE=coswara needs COSWARA_GIT (git directory of github.com/therealmanraj/coswara)}
  labels=${COSWARA_LABELS_GIT:?SOURCE=coswara needs COSWARA_LABELS_GIT (git directory of github.com/iiscleap/Coswara-Data)}
  # shellcheck source=lib/coswara.sh
  source "$here/lib/coswara.sh"
  kinds="counting-normal counting-fast vowel-a vowel-e vowel-o"
  rm -rf "$out/wideband" "$out/telephone"
  mkdir -p "$out/wideband" "$out/telephone"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  declare -A seen=()
  # shellcheck disable=SC2086  # the kinds are words
  coswara_read_quality "$labels" $kinds
  while IFS=$'\t' read -r blob path; do
    participant=$(basename "$(dirname "$path")")
    kind=$(basename "$path" .wav)
    [ -n "${coswara_good[${participant}_$kind]:-}" ] && [ -z "${seen[$blob]:-}" ] || continue
    seen[$blob]=1
    name=coswara-$participant-$kind.wav
    git --git-dir="$coswara" show "$coswara_commit:$path" >"$tmp/in.wav"
    sox -R "$tmp/in.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/wideband/$name" 2>/dev/null || { rm -f "$out/wideband/$name"; continue; }
    # A recording with no sound above −60 dBFS peak is a failed one (as in fetch-training-data.sh).
    peak=$(sox "$out/wideband/$name" -n stat 2>&1 | awk '/Maximum amplitude/ {print $3}')
    if awk -v p="$peak" 'BEGIN { exit !(p < 0.001) }'; then rm -f "$out/wideband/$name"; continue; fi
    bash "$here/telephone-channel.sh" "$out/wideband/$name" "$out/telephone/$name"
  done < <(coswara_recordings "$coswara" '/(counting-normal|counting-fast|vowel-[aeo])[.]wav$')
  echo "pitch set: $(find "$out/wideband" -name '*.wav' | wc -l) Coswara recordings in $out"
  exit 0
fi
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
