#!/usr/bin/env bash
# Scores the vocal-event analysis as a call runs it, not as `eval` does: every clip of a labelled folder
# (<folder>/<label>/**/*.wav, e.g. tests/data/real/events) is laid end to end into one caller recording, each after
# GAP seconds of faint white noise (about -75 dBFS, fixed seed), and `stepaudio simulate` runs a call on it with a flow
# that only listens. The call's own VAD and non-speech span finder then cut the audio, and the VocalEventDetected
# events it publishes are matched to the clip they start in (0.3 s either side). A clip counts as found when an event
# of its label starts in it; a `none` clip counts as an alarm when any event does. Prints recall per label, alarms,
# and the UAR over the labels present. CONFIG: an optional `--config` settings file for simulate (e.g. another
# VocalEventModel). Needs sox, python3 and a Release build of src/Cli.
# Usage: measure-live-events.sh FOLDER [GAP_SECONDS]   (default 1.5)
set -euo pipefail
folder=$(cd "${1:?usage: measure-live-events.sh FOLDER [GAP_SECONDS]}" && pwd)
gap=${2:-1.5}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate=8000
sox -R -n -r "$rate" -c 1 -b 16 "$work/gap.wav" synth "$gap" whitenoise vol 0.0003
: >"$work/index.tsv"
parts=("$work/gap.wav")
at=$gap
while IFS= read -r clip; do
  label=$(realpath --relative-to="$folder" "$clip" | cut -d/ -f1)
  sox "$clip" -r "$rate" -c 1 -b 16 "$work/clip-${#parts[@]}.wav"
  length=$(soxi -D "$work/clip-${#parts[@]}.wav")
  printf '%s\t%s\t%s\n' "$at" "$(awk -v a="$at" -v l="$length" 'BEGIN { print a + l }')" "$label" >>"$work/index.tsv"
  parts+=("$work/clip-${#parts[@]}.wav" "$work/gap.wav")
  at=$(awk -v a="$at" -v l="$length" -v g="$gap" 'BEGIN { print a + l + g }')
done < <(find "$folder" -mindepth 2 -iname '*.wav' | sort)
sox "${parts[@]}" "$work/call.wav"
config=()
if [ -n "${CONFIG:-}" ]; then config=(--config "$CONFIG"); fi
dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll" simulate "$repo/scripts/lib/listen-flow/listen.yaml" --flows "$repo/scripts/lib/listen-flow" \
  --wav "$work/call.wav" --hangup-after-wav --max-seconds 36000 --json "${config[@]}" >"$work/call.jsonl"
python3 - "$work/index.tsv" "$work/call.jsonl" <<'PY'
import collections, json, sys
index = [(float(a), float(b), label) for a, b, label in (line.rstrip("\n").split("\t") for line in open(sys.argv[1]))]
found = collections.defaultdict(set)
for line in open(sys.argv[2]):
    record = json.loads(line)
    if record.get("event") != "VocalEventDetected":
        continue
    start = record["message"]["startSeconds"]
    for i, (a, b, _) in enumerate(index):
        if a - 0.3 <= start <= b + 0.3:
            found[i].add(record["message"]["kind"].lower())
            break
totals, hits, alarms = collections.Counter(), collections.Counter(), 0
for i, (_, _, label) in enumerate(index):
    totals[label] += 1
    if label == "none":
        alarms += 1 if found[i] else 0
    elif label.replace("_", "") in found[i]:
        hits[label] += 1
recalls = [hits[l] / totals[l] for l in totals if l != "none"] + ([1 - alarms / totals["none"]] if totals["none"] else [])
print("  ".join(f"{l} {hits[l]}/{totals[l]}" for l in sorted(totals) if l != "none")
      + (f"  none: {alarms}/{totals['none']} raised an event" if totals["none"] else "")
      + f"  UAR {sum(recalls) / len(recalls):.3f}")
PY
