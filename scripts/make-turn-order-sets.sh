#!/usr/bin/env bash
# Copies of a labelled emotion set (SRC/<label>/<speaker>/*.wav) whose file names put each speaker's clips in other
# orders, since `stepaudio eval` and `train` hear a speaker's clips in file-name order, each against the caller's
# running baseline of the clips before it (README "A caller not heard yet, and the order of turns"). Writes under OUT:
#   file-order/     the clips as they are named (EmoDB's names interleave the emotions)
#   neutral-first/  each speaker's neutral clips first, then happy, sad, angry (as RAVDESS's emotion codes sort)
#   angry-first/    angry, sad, happy, neutral
#   labels-sorted/  the labels in alphabetical order (angry, happy, neutral, sad: a set whose files are named by label)
#   shuffle1/ shuffle2/  each speaker's clips in an order fixed by sha256 of "k/speaker/file"
#   no-speakers/    no speaker folders (SRC/<label>/<speaker>_<file>): every clip judged against the population's norms
# SPEAKERS: only these speaker folders (space-separated; default all), e.g. the test subset's two EmoDB speakers,
# whose 81 telephone sentences no shipped model trained on: SPEAKERS="emodb-03 emodb-08" with SRC DATA_DIR/telephone/emotion.
# Usage: [SPEAKERS="…"] make-turn-order-sets.sh SRC OUT
set -euo pipefail
src=${1:?usage: make-turn-order-sets.sh SRC OUT}
out=${2:?usage: make-turn-order-sets.sh SRC OUT}
rank() { # rank of label $2 in the space-separated order $1 (unknown labels last)
  local i=1
  for l in $1; do [ "$l" = "$2" ] && { echo "$i"; return; }; i=$((i + 1)); done
  echo 9
}
rm -rf "$out"
(cd "$src" && find . -mindepth 3 -maxdepth 3 -iname '*.wav' | sort) | while read -r rel; do
  rel=${rel#./}
  label=${rel%%/*}
  rest=${rel#*/}
  speaker=${rest%%/*}
  file=${rest#*/}
  if [ -n "${SPEAKERS:-}" ] && [[ " $SPEAKERS " != *" $speaker "* ]]; then continue; fi
  put() { mkdir -p "$out/$1/$label/$speaker"; cp "$src/$rel" "$out/$1/$label/$speaker/$2"; }
  put file-order "$file"
  put neutral-first "$(rank "neutral happy sad angry" "$label")_$file"
  put angry-first "$(rank "angry sad happy neutral" "$label")_$file"
  put labels-sorted "$(rank "angry happy neutral sad" "$label")_$file"
  for k in 1 2; do
    put "shuffle$k" "$(printf '%s' "$k/$speaker/$file" | sha256sum | cut -c1-8)_$file"
  done
  mkdir -p "$out/no-speakers/$label"
  cp "$src/$rel" "$out/no-speakers/$label/${speaker}_$file"
done
echo "make-turn-order-sets: $(find "$out/file-order" -iname '*.wav' | wc -l) clips in each of $(find "$out" -mindepth 1 -maxdepth 1 -type d | wc -l) orders under $out"
