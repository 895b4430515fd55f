#!/usr/bin/env bash
# Builds the coloured copies of the emotion set that scripts/train-paralinguistics.sh also trains on (README,
# "Reading digits aloud" and "The caller's own colour"): every wideband emotion clip of DATA_DIR (EmoDB's sentences, as
# fetch-training-data.sh makes them) through other microphones and lines: bass and treble shelves of −8 to +8 dB, a
# peak or dip of −8 to +8 dB somewhere between 300 and 3000 Hz, and a level 3 to 20 dB under full scale, then the
# telephone channel (scripts/telephone-channel.sh). Two kinds, each drawn from a generator seeded by name (the same
# copies on every run):
#   - COPIES copies of each clip (default 2), each clip its own colour: OUT/{wideband,telephone}/emotion/<label>/
#     <speaker>/<name>-c<k>.wav. Without them only the counting carried more than one studio's sound, all of it
#     neutral, and the model leaned on the colour of the line.
#   - CALLS calls of each speaker (default 2), every clip of call k in the same colour, as a call's handset and line
#     colour every turn alike: OUT/call<k>/{wideband,telephone}/emotion/<label>/<speaker>/<name>.wav, one folder per
#     call so that the caller's running baseline (and the measures against the caller's own spectrum) follow one call.
# scripts/measure-emotion-channels.sh's six fixed colourings are not drawn here. The trainer keeps a speaker's copies
# and calls in the speaker's fold. Needs sox and python3.
# Usage: make-coloured-set.sh DATA_DIR OUT [COPIES [CALLS]]
set -euo pipefail
data=$(cd "${1:?usage: make-coloured-set.sh DATA_DIR OUT [COPIES [CALLS]]}" && pwd)
out=${2:?usage: make-coloured-set.sh DATA_DIR OUT [COPIES [CALLS]]}
copies=${3:-2}
calls=${4:-2}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$out/wideband/emotion" "$out/telephone/emotion" "$out"/call*
python3 - "$data/wideband/emotion" "$out" "$copies" "$calls" "$here/telephone-channel.sh" <<'PY'
import hashlib, os, random, subprocess, sys
root, out, copies, calls, channel = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

def draw(rng):
    return ["bass", "%.1f" % rng.uniform(-8, 8), "treble", "%.1f" % rng.uniform(-8, 8),
            "equalizer", "%.0f" % (300 * 10 ** rng.uniform(0, 1)), "1q", "%.1f" % rng.uniform(-8, 8),
            "gain", "-n", "%.1f" % rng.uniform(-20, -3)]

def seeded(text):
    return random.Random(hashlib.sha256(text.encode()).hexdigest())

def write(source, folder, name, effects):
    paths = {band: os.path.join(out, folder, band, "emotion", *folder_of(source)) for band in ("wideband", "telephone")}
    for path in paths.values():
        os.makedirs(path, exist_ok=True)
    subprocess.run(["sox", "-R", source, os.path.join(paths["wideband"], name)] + effects, check=True, stderr=subprocess.DEVNULL)
    subprocess.run(["bash", channel, os.path.join(paths["wideband"], name), os.path.join(paths["telephone"], name)],
                   check=True, stderr=subprocess.DEVNULL)

def folder_of(source):
    speaker_dir = os.path.dirname(source)
    return os.path.basename(os.path.dirname(speaker_dir)), os.path.basename(speaker_dir)  # label, speaker

count = 0
for label in sorted(os.listdir(root)):
    for speaker in sorted(os.listdir(os.path.join(root, label))):
        for name in sorted(n for n in os.listdir(os.path.join(root, label, speaker)) if n.lower().endswith(".wav")):
            source = os.path.join(root, label, speaker, name)
            rng = seeded(name)  # one generator per clip, drawn in turn for its copies
            for k in range(copies):
                write(source, "", "%s-c%d.wav" % (name[:-4], k), draw(rng))
                count += 1
            for k in range(calls):  # one colour per speaker and call, whatever the label
                write(source, "call%d" % k, name, draw(seeded("%s/%d" % (speaker, k))))
                count += 1
print("coloured set: %d copies in %s" % (count, out))
PY
