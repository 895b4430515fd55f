#!/usr/bin/env bash
# Writes Praat's pitch track of every wideband clip of a pitch set (scripts/make-pitch-set.sh's layout:
# SET/wideband/*.wav) to SET/praat/<clip>.f0, one "time<tab>Hz" line per 10 ms frame, 0 where Praat finds no voicing.
# TelephonePitchTests then also scores our telephone track against it: an independent reference, where our own
# full-band track may share our tracker's mistakes. Praat (P. Boersma & D. Weenink, praat.org; Debian package
# `praat`, GPL) runs `To Pitch (ac)` with the settings of its manual's standard pitch analysis: 10 ms steps, floor
# 75 Hz, ceiling 600 Hz, 15 candidates, silence 0.03, voicing 0.45, octave cost 0.01, octave-jump cost 0.35,
# voiced/unvoiced cost 0.14 (scripts/praat/pitch-tracks.praat). The tracks of the committed clips
# (tests/data/real/pitch/praat) were made by this script with Praat 6.3.07; CI reads them and does not need Praat.
# Usage: praat-pitch.sh SET_DIR
set -euo pipefail
set_dir=$(cd "${1:?usage: praat-pitch.sh SET_DIR}" && pwd)
command -v praat >/dev/null || { echo "praat-pitch.sh: needs Praat (apt-get install praat)" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$set_dir/praat"
mkdir -p "$set_dir/praat"
praat --run "$here/praat/pitch-tracks.praat" "$set_dir/wideband" "$set_dir/praat"
echo "praat: $(find "$set_dir/praat" -name '*.f0' | wc -l) tracks in $set_dir/praat ($(praat --version))"
