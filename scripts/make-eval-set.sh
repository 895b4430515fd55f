#!/usr/bin/env bash
# Builds a small labelled evaluation set for `stepaudio eval`, reproducibly (fixed texts, voices and parameters;
# sox runs with -R so its noise is the same on every run). Usage: make-eval-set.sh [OUT_DIR]  (default .cache/eval-set)
#
# Layout written:
#   OUT_DIR/wideband/<label>/*.wav    16 kHz PCM16 mono
#   OUT_DIR/telephone/<label>/*.wav   the same clips through a telephone channel: 300–3400 Hz, 8 kHz, G.711 µ-law,
#                                     decoded back to 8 kHz PCM16 (eval's WAV reader takes PCM16/float, not µ-law)
# Evaluate one variant at a time: `stepaudio eval OUT_DIR/telephone`.
#
# Emotion labels are acted by espeak-ng prosody (pitch -p, speed -s, amplitude -a, SSML pitch range), 4 sentences ×
# 3 voices each. This is a caricature of emotion, useful to check the pipeline and gross cues, not a benchmark:
#   neutral     defaults (-p 50 -s 160 -a 100)
#   happy       -p 80 -s 180, range x-high (wide pitch)
#   sad         -p 25 -s 110 -a 60, range x-low (flat, slow, quiet)
#   angry       -p 60 -s 210 -a 200, range high; sox compand (−30 dB → −12 dB) and norm −1 (loud, pressed)
#   frustrated  -p 35 -s 140 -a 150, range low; sox overdrive 6 (tense, effortful, flat)
# Vocal events are sox-synthesised, 6 variants each (no crying clips are made; eval still accepts a crying folder):
#   sigh          1.0–1.5 s pink noise band-passed 400–1200 Hz, quick onset and logarithmic decay (falling energy)
#   laugh         4–6 bursts of 90 ms at ~5 per second: sawtooth with a falling pitch mixed with breath noise
#   gasp          0.3–0.45 s high band-passed white noise with a fast onset (sharp noisy inhalation)
#   cough         0.2–0.3 s broadband noise burst, 5 ms onset, fast decay, then a short voiced tail
#   throat_clear  0.35–0.5 s low sawtooth (90–130 Hz) + brown noise, 25–35 Hz tremolo (roughness), low-passed
#   none          neutral speech, near-silence (−60 dBFS noise floor), steady tones and dual tones
set -euo pipefail
out=${1:-.cache/eval-set}
for tool in espeak-ng sox bc; do
  command -v "$tool" >/dev/null || { echo "make-eval-set.sh: $tool is required" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out/wideband" "$out/telephone"

sentences=(
  "I have been waiting for my order for two weeks now."
  "Can you tell me what happened to my account?"
  "The technician said he would come on Monday morning."
  "Please put me through to the billing department."
)
voices=(en-us en-gb en-us+f3)

wide() { mkdir -p "$out/wideband/$1"; echo "$out/wideband/$1/$2.wav"; }
# Final formatting shared by every clip: 16 kHz mono 16-bit with 100 ms of silence around it, peak-safe.
finish() { sox -R "$1" -r 16000 -c 1 -b 16 -e signed-integer "$2" pad 0.1 0.1; }

speak() { # label voice index pitch speed amplitude range [sox effects...]
  local label=$1 voice=$2 i=$3 p=$4 s=$5 a=$6 range=$7; shift 7
  espeak-ng -v "$voice" -p "$p" -s "$s" -a "$a" -m -w "$tmp/raw.wav" \
    "<speak><prosody range=\"$range\">${sentences[$i]}</prosody></speak>"
  if [ $# -gt 0 ]; then sox -R "$tmp/raw.wav" "$tmp/fx.wav" "$@"; else cp "$tmp/raw.wav" "$tmp/fx.wav"; fi
  finish "$tmp/fx.wav" "$(wide "$label" "${voice//+/_}-$i")"
}

for v in "${voices[@]}"; do
  for i in "${!sentences[@]}"; do
    speak neutral    "$v" "$i" 50 160 100 medium
    speak happy      "$v" "$i" 80 180 100 x-high
    speak sad        "$v" "$i" 25 110 60  x-low
    speak angry      "$v" "$i" 60 210 200 high compand 0.01,0.2 -60,-60,-30,-12,0,-6 -3 0 norm -1
    speak frustrated "$v" "$i" 35 140 150 low overdrive 6 norm -3
  done
done

for k in 0 1 2 3 4 5; do
  # Per-variant parameters, spread evenly so the set covers each recipe's range.
  dur=$(echo "1.0 + $k * 0.1" | bc -l)
  sox -R -n -r 16000 -c 1 "$tmp/s.wav" synth "$dur" pinknoise band $((600 + k * 60)) $((500 + k * 50)) \
    fade q 0.12 "$dur" "$(echo "$dur - 0.12" | bc -l)" fade l 0 "$dur" "$(echo "$dur - 0.15" | bc -l)" norm -$((10 + k))
  finish "$tmp/s.wav" "$(wide sigh "sigh-$k")"

  bursts=$((4 + k % 3)); f0=$((220 + k * 25)); parts=()
  for b in $(seq 1 "$bursts"); do
    sox -R -n -r 16000 -c 1 "$tmp/v$b.wav" synth 0.09 sawtooth "$((f0 + 20))-$((f0 - 30))" vol 0.6 lowpass 3000 fade h 0.01 0.09 0.04
    sox -R -n -r 16000 -c 1 "$tmp/n$b.wav" synth 0.09 whitenoise band 1500 1000 fade h 0.01 0.09 0.04 vol 0.25
    sox -R -m "$tmp/v$b.wav" "$tmp/n$b.wav" "$tmp/b$b.wav"
    sox -R -n -r 16000 -c 1 "$tmp/g$b.wav" trim 0 0.11
    parts+=("$tmp/b$b.wav" "$tmp/g$b.wav")
  done
  sox -R "${parts[@]}" "$tmp/l.wav" norm -$((6 + k))
  finish "$tmp/l.wav" "$(wide laugh "laugh-$k")"

  gd=$(echo "0.3 + $k * 0.03" | bc -l)
  sox -R -n -r 16000 -c 1 "$tmp/g.wav" synth "$gd" whitenoise band $((2000 + k * 150)) 1200 highpass 800 \
    fade q 0.02 "$gd" 0.08 norm -$((8 + k))
  finish "$tmp/g.wav" "$(wide gasp "gasp-$k")"

  cd_=$(echo "0.2 + $k * 0.02" | bc -l)
  sox -R -n -r 16000 -c 1 "$tmp/c1.wav" synth "$cd_" whitenoise vol 0.5 lowpass 5000 fade l 0.005 "$cd_" "$(echo "$cd_ - 0.02" | bc -l)"
  sox -R -n -r 16000 -c 1 "$tmp/c2.wav" synth 0.12 sawtooth $((150 + k * 10)) vol 0.3 lowpass 1500 fade h 0.01 0.12 0.08
  sox -R "$tmp/c1.wav" "$tmp/c2.wav" "$tmp/c.wav" norm -$((3 + k))
  finish "$tmp/c.wav" "$(wide cough "cough-$k")"

  td=$(echo "0.35 + $k * 0.03" | bc -l)
  sox -R -n -r 16000 -c 1 "$tmp/t1.wav" synth "$td" sawtooth $((90 + k * 8)) tremolo $((25 + k * 2)) 80 vol 0.6 lowpass 1200
  sox -R -n -r 16000 -c 1 "$tmp/t2.wav" synth "$td" brownnoise lowpass 1500 vol 0.4
  sox -R -m "$tmp/t1.wav" "$tmp/t2.wav" "$tmp/t.wav" fade q 0.02 "$td" 0.08 norm -$((6 + k))
  finish "$tmp/t.wav" "$(wide throat_clear "throat_clear-$k")"
done

# 'none': speech, near-silence and tones: things a detector must not call a vocal event.
for i in 0 1; do
  espeak-ng -v "${voices[$i]}" -w "$tmp/sp.wav" "${sentences[$((i + 2))]}"
  finish "$tmp/sp.wav" "$(wide none "speech-$i")"
done
sox -R -n -r 16000 -c 1 "$tmp/q.wav" synth 1.5 whitenoise vol 0.001
finish "$tmp/q.wav" "$(wide none silence-0)"
sox -R -n -r 16000 -c 1 "$tmp/q.wav" synth 1.0 sine 440 vol 0.3
finish "$tmp/q.wav" "$(wide none tone-440)"
sox -R -n -r 16000 -c 1 "$tmp/q.wav" synth 1.0 sine 1000 vol 0.5
finish "$tmp/q.wav" "$(wide none tone-1000)"
sox -R -n -r 16000 -c 1 "$tmp/q.wav" synth 0.8 sine 770 sine 1336 remix 1,2 vol 0.3
finish "$tmp/q.wav" "$(wide none dualtone-5)"

# Telephone channel: band limit, 8 kHz, G.711 µ-law, then back to PCM16 so the µ-law quantisation stays in the audio.
find "$out/wideband" -name '*.wav' | sort | while read -r f; do
  rel=${f#"$out/wideband/"}
  mkdir -p "$(dirname "$out/telephone/$rel")"
  bash "$(dirname "${BASH_SOURCE[0]}")/telephone-channel.sh" "$f" "$out/telephone/$rel"
done

echo "$(find "$out/wideband" -name '*.wav' | wc -l) clips per variant written to $out/{wideband,telephone}"
