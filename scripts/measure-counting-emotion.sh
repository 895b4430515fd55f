#!/usr/bin/env bash
# Measures README's "Reading digits aloud" figures: how the emotion model hears English counted aloud (Coswara's
# participants, as a call cuts it: scripts/make-counting-set.sh), every segment of which should read neutral.
#   1. The shipped model (src/Inference/Paralinguistics/Trained/Models/emotion.json, or the one a CONFIG settings file
#      names as EmotionModel) on every segment (the test subset's three participants are the only ones it never heard).
#   2. Participants held out: the participants are split in two halves (alternately, by name); for each half the
#      emotion model is trained by scripts/train-paralinguistics.sh as committed on EmoDB plus that half's training
#      selection, and scored on every segment of the other half. The two halves' rows are printed and summed.
#   3. Each held-out model's cross-validation on EmoDB as recorded (the trainer's first two tables; its coloured copies
#      follow under the same names in the trainer's own print), so the cost to the four emotions shows.
# Telephone and wideband, each with one folder per speaker (the caller's baseline follows them). CPU only, a few
# minutes; FEATURE_CACHE as for train-paralinguistics.sh. Usage: measure-counting-emotion.sh [DATA_DIR]
# (default .cache/training, holding counting/ as make-counting-set.sh writes it).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$(cd "${1:-.cache/training}" && pwd)
counting=$data/counting
[ -d "$counting/every/telephone/neutral" ] || { echo "measure-counting-emotion: no counting set in $counting (scripts/make-counting-set.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$repo/src/Cli" -c Release -nologo -v quiet >/dev/null
stepaudio=(dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll")

# The row of the neutral label in eval's confusion: neutral happy sad angry frustrated ambiguous.
# eval prints the ambiguous column only when something was predicted ambiguous: read the header, not the position.
neutral_row() {
  "${stepaudio[@]}" eval "$1" "${@:2}" | awk '
    /^confusion/ { getline; for (i = 1; i <= NF; i++) column[$i] = i + 1; c = 1; next }
    c && $1 == "neutral" { n = split("neutral happy sad angry frustrated ambiguous", names, " ")
      for (i = 1; i <= n; i++) printf "%d%s", (names[i] in column) ? $(column[names[i]]) : 0, i < n ? " " : "\n"; exit }'
}

echo "columns: neutral happy sad angry frustrated ambiguous"
config=()
if [ -n "${CONFIG:-}" ]; then config=(--config "$CONFIG"); fi
for band in telephone wideband; do
  echo "${CONFIG:-shipped model}, every segment, $band: $(neutral_row "$counting/every/$band" "${config[@]}")"
done

mapfile -t speakers < <(find "$counting/every/telephone/neutral" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
for half in 0 1; do
  for band in telephone wideband; do
    mkdir -p "$work/train$half/$band/neutral" "$work/score$half/$band/neutral"
  done
  for i in "${!speakers[@]}"; do
    speaker=${speakers[$i]}
    for band in telephone wideband; do
      if [ $((i % 2)) = "$half" ]; then
        ln -s "$counting/$band/neutral/$speaker" "$work/train$half/$band/neutral/$speaker"
      else
        ln -s "$counting/every/$band/neutral/$speaker" "$work/score$half/$band/neutral/$speaker"
      fi
    done
  done
  TRAIN_TASKS=emotion COUNTING_DIR="$work/train$half" EMOTION_OUT="$work/emotion$half.json" EMOTION_CV="$work/cv$half.txt" \
    bash "$repo/scripts/train-paralinguistics.sh" "$data" >/dev/null
  printf '{"Paralinguistics": {"EmotionModel": "%s"}}\n' "$work/emotion$half.json" >"$work/config$half.json"
  echo "trained on EmoDB and half $((half + 1)) of the participants; EmoDB cross-validation: $(awk '/^Task emotion \((telephone|wideband)\/emotion\)/ && n < 2 { t = substr($3, 2, length($3) - 3); n++ } /^accuracy/ && t { printf "%s UAR %s  ", t, $4; t = "" }' "$work/cv$half.txt")"
  for band in telephone wideband; do
    echo "  scored on every segment of the other half, $band: $(neutral_row "$work/score$half/$band" --config "$work/config$half.json")" | tee -a "$work/rows-$band.txt"
  done
done
for band in telephone wideband; do
  awk -v band="$band" '{ for (i = 1; i <= 6; i++) s[i] += $(NF - 6 + i) } END {
    total = s[1] + s[2] + s[3] + s[4] + s[5] + s[6]
    printf "participants held out, both halves, %s: %d %d %d %d %d %d (neutral %.1f %%, sad %.1f %%)\n", band, s[1], s[2], s[3], s[4], s[5], s[6], 100 * s[1] / total, 100 * s[3] / total }' "$work/rows-$band.txt"
done
