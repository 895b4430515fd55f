#!/usr/bin/env bash
# Builds the English counting set behind README's "Reading digits aloud" figures: Coswara's counting-normal and
# counting-fast recordings (Indian English, read aloud by people asked to count, not to act; CC BY 4.0, see NOTICE),
# cut into the speech segments a call hears. For each participant their counting recordings are laid end to end, each
# after 1.5 s of faint white noise (about -75 dBFS, fixed seed), and `stepaudio simulate` runs a call on it with a flow
# that only listens; every SpeechSegmentDetected the call publishes is cut from the same recording, telephone (the
# audio the call heard) and wideband (the same times from the 16 kHz copy). Each segment is labelled neutral: nobody
# was asked to sound anything but normal. Writes every segment to OUT/every/{telephone,wideband}/neutral/
# coswara-<participant>/<n>.wav (what README's figures are measured on), and at most PER_PARTICIPANT of each
# participant's (default 8, evenly spaced through the call; 0: all) to OUT/{telephone,wideband}/neutral/…, the set
# scripts/train-paralinguistics.sh trains on: a few per participant keep these 64 voices from outnumbering EmoDB's
# neutral sentences (README, "Reading digits aloud" and "The caller's own colour", say how 4 and then 8 were chosen).
# Reads a Coswara pitch set (bash scripts/make-pitch-set.sh with SOURCE=coswara: PITCH_SET/{wideband,telephone}/
# coswara-<participant>-counting-{normal,fast}.wav). Needs sox, python3 and a Release build of src/Cli.
# Usage: make-counting-set.sh PITCH_SET OUT
set -euo pipefail
set_dir=$(cd "${1:?usage: make-counting-set.sh PITCH_SET OUT}" && pwd)
out=${2:?usage: make-counting-set.sh PITCH_SET OUT}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
per_participant=${PER_PARTICIPANT:-8}
rm -rf "$out/telephone/neutral" "$out/wideband/neutral" "$out/every"
sox -R -n -r 8000 -c 1 -b 16 "$work/gap8.wav" synth 1.5 whitenoise vol 0.0003
sox -R -n -r 16000 -c 1 -b 16 "$work/gap16.wav" synth 1.5 whitenoise vol 0.0003
participants=$(find "$set_dir/telephone" -name 'coswara-*-counting-*.wav' -printf '%f\n' | sed -E 's/^coswara-(.+)-counting-(normal|fast)[.]wav$/\1/' | sort -u)
segments=0
for participant in $participants; do
  phone=(); wide=()
  for kind in normal fast; do
    name=coswara-$participant-counting-$kind.wav
    [ -f "$set_dir/telephone/$name" ] || continue
    phone+=("$work/gap8.wav" "$set_dir/telephone/$name")
    wide+=("$work/gap16.wav" "$set_dir/wideband/$name")
  done
  sox "${phone[@]}" "$work/gap8.wav" "$work/call8.wav"
  sox "${wide[@]}" "$work/gap16.wav" "$work/call16.wav"
  dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll" simulate "$repo/scripts/lib/listen-flow/listen.yaml" --flows "$repo/scripts/lib/listen-flow" \
    --wav "$work/call8.wav" --hangup-after-wav --max-seconds 3600 --json >"$work/call.jsonl"
  speaker=coswara-$participant
  mkdir -p "$out/every/telephone/neutral/$speaker" "$out/every/wideband/neutral/$speaker"
  n=0
  while IFS=$'\t' read -r start length; do
    n=$((n + 1))
    sox "$work/call8.wav" "$out/every/telephone/neutral/$speaker/$n.wav" trim "$start" "$length"
    sox "$work/call16.wav" "$out/every/wideband/neutral/$speaker/$n.wav" trim "$start" "$length"
  done < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    record = json.loads(line)
    if record.get("event") == "SpeechSegmentDetected":
        m = record["message"]
        print("%.3f\t%.3f" % (m["startSeconds"], m["durationSeconds"]))
' "$work/call.jsonl")
  [ "$n" -gt 0 ] || { echo "make-counting-set: the call on $speaker heard no speech" >&2; exit 1; }
  segments=$((segments + n))
  # The training selection: PER_PARTICIPANT segments spread evenly over the call (the k-th of K is segment 1 + k*n/K).
  keep=$per_participant
  if [ "$keep" = 0 ] || [ "$keep" -gt "$n" ]; then keep=$n; fi
  for band in telephone wideband; do
    mkdir -p "$out/$band/neutral/$speaker"
    for k in $(seq 0 $((keep - 1))); do
      cp "$out/every/$band/neutral/$speaker/$((1 + k * n / keep)).wav" "$out/$band/neutral/$speaker/"
    done
  done
done
echo "counting set: $segments segments (at most $per_participant each in training) of $(echo "$participants" | wc -w) participants in $out"
