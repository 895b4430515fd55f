#!/usr/bin/env bash
# Renders the demo caller's speech with espeak-ng and encodes it as raw G.711 mu-law at 8 kHz,
# the payload sipp's rtp_stream sends. Usage: make-speech.sh OUT_DIR ["text"]
# Prints the audio's duration in milliseconds on stdout.
set -euo pipefail
out=${1:?usage: make-speech.sh OUT_DIR [text]}
text=${2:-"Hello, I am calling about my order. It still has not arrived. Could you please tell me where it is?"}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -s 150 -w "$tmp/speech.wav" "$text"
# One second of silence before and after: the VAD must find where speech starts, not assume it.
sox "$tmp/speech.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/speech8k.wav" pad 1 1
sox "$tmp/speech8k.wav" -t ul "$out/speech.pcmu"
bytes=$(stat -c %s "$out/speech.pcmu")
echo $(( bytes / 8 ))
