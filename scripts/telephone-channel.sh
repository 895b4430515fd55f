#!/usr/bin/env bash
# The telephone channel every evaluation and training set goes through: band limit 300–3400 Hz, 8 kHz, G.711 µ-law,
# then back to PCM16 (8 kHz) so the µ-law quantisation stays in the audio and any WAV reader takes it.
# Usage: telephone-channel.sh IN.wav OUT.wav   (IN: any rate sox reads; sox runs with -R so output is reproducible)
set -euo pipefail
in=$1
out=$2
tmp=$(mktemp --suffix=.wav)
trap 'rm -f "$tmp"' EXIT
sox -R "$in" -r 8000 -c 1 -e mu-law -t wav "$tmp" gain -1 sinc 300-3400
sox -R "$tmp" -e signed-integer -b 16 "$out"
