#!/usr/bin/env bash
# Builds the coloured copies of the emotion set that scripts/train-paralinguistics.sh also trains on (README,
# "Reading digits aloud"): every wideband emotion clip of DATA_DIR (EmoDB's sentences, as fetch-training-data.sh makes
# them) COPIES times (default 2), each through its own microphone and line: bass and treble shelves of −8 to +8 dB, a
# peak or dip of −8 to +8 dB somewhere between 300 and 3000 Hz, and a level 3 to 20 dB under full scale, drawn from a
# generator seeded by the file name (the same copies on every run), then through the telephone channel
# (scripts/telephone-channel.sh). Without it only the counting carried more than one studio's sound, all of it neutral,
# and the model leaned on the colour of the line (scripts/measure-emotion-channels.sh, whose six fixed colourings are
# not drawn here). Writes OUT/{wideband,telephone}/emotion/<label>/<speaker>/<name>-c<k>.wav; the trainer keeps a
# speaker's copies in the speaker's fold. Needs sox and python3.
# Usage: make-coloured-set.sh DATA_DIR OUT [COPIES]
set -euo pipefail
data=$(cd "${1:?usage: make-coloured-set.sh DATA_DIR OUT [COPIES]}" && pwd)
out=${2:?usage: make-coloured-set.sh DATA_DIR OUT [COPIES]}
copies=${3:-2}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$out/wideband/emotion" "$out/telephone/emotion"
python3 - "$data/wideband/emotion" "$out" "$copies" "$here/telephone-channel.sh" <<'PY'
import hashlib, os, random, subprocess, sys
root, out, copies, channel = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
count = 0
for label in sorted(os.listdir(root)):
    for speaker in sorted(os.listdir(os.path.join(root, label))):
        for name in sorted(n for n in os.listdir(os.path.join(root, label, speaker)) if n.lower().endswith(".wav")):
            rng = random.Random(hashlib.sha256(name.encode()).hexdigest())
            for k in range(copies):
                colour = ["bass", "%.1f" % rng.uniform(-8, 8), "treble", "%.1f" % rng.uniform(-8, 8),
                          "equalizer", "%.0f" % (300 * 10 ** rng.uniform(0, 1)), "1q", "%.1f" % rng.uniform(-8, 8),
                          "gain", "-n", "%.1f" % rng.uniform(-20, -3)]
                copy = "%s-c%d.wav" % (name[:-4], k)
                paths = {band: os.path.join(out, band, "emotion", label, speaker) for band in ("wideband", "telephone")}
                for path in paths.values():
                    os.makedirs(path, exist_ok=True)
                subprocess.run(["sox", "-R", os.path.join(root, label, speaker, name), os.path.join(paths["wideband"], copy)] + colour,
                               check=True, stderr=subprocess.DEVNULL)
                subprocess.run(["bash", channel, os.path.join(paths["wideband"], copy), os.path.join(paths["telephone"], copy)],
                               check=True, stderr=subprocess.DEVNULL)
                count += 1
print("coloured set: %d copies in %s" % (count, out))
PY
