#!/usr/bin/env bash
# How much the emotion model leans on the microphone and line rather than the voice: every wideband clip of the two
# EmoDB speakers of the committed test subset (held out of training; 81 sentences) is coloured by six fixed sox effects
# (a different microphone, handset or gain), then put through the telephone channel (scripts/telephone-channel.sh),
# and `stepaudio eval` scores each version. Prints, per version, the UAR and the recall of each emotion. A model that
# hears the voice keeps its figures; one that learnt a corpus's sound moves with the colouring.
# CONFIG: an optional `--config` settings file for eval (e.g. another EmotionModel). Needs sox and a Release build of
# src/Cli. Usage: measure-emotion-channels.sh [DATA_DIR]   (default .cache/training, as fetch-training-data.sh makes it)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:-.cache/training}
# shellcheck source=lib/test-subset.sh
source "$repo/scripts/lib/test-subset.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
names=(as-recorded darker-treble-8dB boomier-bass+8dB quieter-12dB presence-1kHz+8dB thin-400Hz-8dB-treble+4dB pink-noise-40dB)
effects=("" "treble -8" "bass +8" "gain -12" "equalizer 1000 1q +8" "equalizer 400 1q -8 treble +4" "noise")
sox -R -n -r 16000 -c 1 -b 16 "$work/noise.wav" synth 2.0 pinknoise vol 0.01
for v in "${!names[@]}"; do
  for speaker in "${test_subset_emodb[@]}"; do
    for dir in "$data"/wideband/emotion/*/"$speaker"; do
      label=$(basename "$(dirname "$dir")")
      mkdir -p "$work/${names[$v]}/$label/$speaker"
      for clip in "$dir"/*.wav; do
        if [ "${effects[$v]}" = noise ]; then
          sox -R -m "$clip" "$work/noise.wav" "$work/coloured.wav" trim 0 "$(soxi -D "$clip")"
        else
          # shellcheck disable=SC2086  # the effect is words
          sox -R "$clip" "$work/coloured.wav" ${effects[$v]} 2>/dev/null
        fi
        bash "$repo/scripts/telephone-channel.sh" "$work/coloured.wav" "$work/${names[$v]}/$label/$speaker/$(basename "$clip")" 2>/dev/null
      done
    done
  done
done
config=()
if [ -n "${CONFIG:-}" ]; then config=(--config "$CONFIG"); fi
for name in "${names[@]}"; do
  dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll" eval "$work/$name" "${config[@]}" | awk -v name="$name" '
    /^(neutral|happy|sad|angry) / && !seen[$1]++ { recall = recall sprintf(" %s %s", $1, $3) }
    /^accuracy/ { uar = $4 }
    END { printf "%-28s UAR %s  recall%s\n", name, uar, recall }'
done
