#!/usr/bin/env bash
# Builds the real training / evaluation sets behind the trained paralinguistic models (README "Accuracy on real
# voices"). CI does NOT need this: it runs on the small subset committed under tests/data/real (see its NOTICE).
#
# Sources (licences checked 2026-12-06; nothing from them is committed except that subset):
#   EmoGator   github.com/fredbuhl/EmoGator, Apache-2.0: 32,130 vocal bursts (mp3) from 357 people, 30 categories,
#              3 instances each, named NNNNNN-EE-I.mp3 (speaker, category 01–30, instance).
#   Berlin EmoDB (Burkhardt et al. 2005; released CC0 by its authors), as the 535 files in the `wav/` folder of
#              github.com/sylaschacko/voice-emotion-analysis (22.05 kHz, cut to 2.0 s). File name: speaker (2 digits),
#              text (3), emotion letter (W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral), version.
#   Deeply Nonverbal Vocalization and RAVDESS are never used (reserved for independent evaluation).
#
# Looked for and NOT used (2026-12-06), so coughs and throat clears still have no training data:
#   github.com/iiscleap/Coswara-Data (CC BY 4.0, real coughs): its audio is split tar.gz archives that the stored
#     snapshot reachable from here lists but does not hold (only the CSV metadata arrives).
#   github.com/paulleamy/Cough-Etiquette (real coughs, 44.1 kHz WAV, ~15 contributors): no licence in the repository,
#     so no right to train a commercial product on it.
#   VocalSound (CC BY-SA 4.0; laughter, sighs, coughs, throat clearing), COUGHVID, Nonspeech7k: hosted on Dropbox /
#     Zenodo, not on GitHub; no GitHub mirror of their clips was found.
# Looked for again (2026-12-07), for a second set labelled by the SOUND (laugh, sigh, cough, crying, gasp) to check
# generalisation; none found that is real, multi-speaker, on GitHub and permissively licensed:
#   nonverbalspeech38k/nonverspeech38k: laughing / sigh / coughing / throat clearing demo clips, but made by TTS models.
#   links-ads/kk-nonverbal-vocal-class, mamunctg/nonspeech-sound-classification (Nonspeech7k), virufy/virufy-data,
#     YuanGongND/vocalsound, chagri/Human-Voice-NonVerbal-Detection: code, configs or features only, no clips.
#   Sharwin24/Machine-Learning-and-Sensing: a README listing Freesound laughs / coughs, the clips not in the repository.
#   ahmetnihat/ses_analizi: a copy of the Deeply Nonverbal Vocalization set (reserved, never used).
#   josedvq/lared-laughter (annotation tool; the laughs are videos of a restricted set), hernanmd/COVID-19-train-audio
#     (coughs cut from YouTube and papers, no licence to train on).
#
# Usage: fetch-training-data.sh [OUT_DIR]   (default .cache/training)
#   EMOGATOR_GIT / EMODB_GIT: git directories of the two repositories (e.g. /work/.mirror/fredbuhl+EmoGator/repo, as
#   the project's fetch tool leaves them). Unset, the repositories are cloned from GitHub into OUT_DIR/sources.
#   EMOGATOR_SPEAKER_STEP: use every Nth EmoGator contributor (default 1: all 357, what the shipped model was trained
#   on; 3 gives the 119 of the models before 2026-12-07, 2 the 179 odd ones; README "Accuracy on real voices" compares
#   them). About 6,800 clips at step 1: 20–40 minutes on a shared 2-core machine.
#   EMOGATOR_SPEAKER_OFFSET: which of them (default 1: contributors 1, 1+N, 1+2N, …; 0 with step 2 gives the even
#   ones, which a set built with step 2 never saw, for a held-out check).
#
# Layout written (one folder per speaker under each label, as `stepaudio train` / `eval` read it):
#   OUT_DIR/{wideband,telephone}/events/<label>/<speaker>/*.wav   laugh, sigh, crying, gasp, none
#   OUT_DIR/{wideband,telephone}/emotion/<label>/<speaker>/*.wav  angry, neutral, happy, sad (EmoDB W, N, F, T)
#   OUT_DIR/{wideband,telephone}/speech/none/<speaker>/*.wav      all 535 EmoDB sentences (7 emotions), for false alarms
# wideband = 16 kHz PCM16 (what a G.722 call carries); telephone = scripts/telephone-channel.sh (G.711 µ-law, 8 kHz).
#
# EmoGator labels are the emotion each person was asked to express, not the sound. The mapping below picks the
# categories whose bursts are overwhelmingly the target sound (checked by listening to a sample is NOT claimed:
# it was not possible here) and the README reports figures with that caveat:
#   laugh  ← 02 Amusement        sigh   ← 22 Relief            crying ← 24 Sadness
#   gasp   ← 15 Fear, 27 Surprise (Negative)  (instances 1–2 of each)
#   none   ← non-target bursts: 05 Confusion, 06 Contempt, 10 Disgust, 17 Interest, 18 Neutral (instance 1 of each),
#            (speech is the separate `speech` set: every EmoDB sentence, for the false-alarm rate on speech).
# Clips are capped at 4 s; silent or unreadable files are skipped (counted in the summary).
# Needs sox with mp3 support (Debian: libsox-fmt-mp3, installed here when missing) and git.
set -euo pipefail
out=${1:-.cache/training}
step=${EMOGATOR_SPEAKER_STEP:-1}
offset=${EMOGATOR_SPEAKER_OFFSET:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! sox -h 2>/dev/null | grep -q ' mp3 '; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq libsox-fmt-mp3 >/dev/null || { apt-get update -qq && apt-get install -y -qq libsox-fmt-mp3 >/dev/null; }
  else
    echo "fetch-training-data.sh: sox lacks mp3 support; install libsox-fmt-mp3" >&2
    exit 1
  fi
fi

source_dir() { # env-var-value github-name
  if [ -n "$1" ]; then echo "$1"; return; fi
  local dir="$out/sources/${2//\//+}.git"
  [ -d "$dir" ] || git clone --quiet --bare "https://github.com/$2.git" "$dir"
  echo "$dir"
}
emogator=$(source_dir "${EMOGATOR_GIT:-}" fredbuhl/EmoGator)
emodb=$(source_dir "${EMODB_GIT:-}" sylaschacko/voice-emotion-analysis)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out/wideband" "$out/telephone"
written=0
skipped=0

# add GIT_DIR PATH_IN_REPO SET LABEL SPEAKER NAME: one clip, wideband and telephone.
add() {
  local ext=${2##*.}
  git --git-dir="$1" show "HEAD:$2" >"$tmp/in.$ext" 2>/dev/null || { skipped=$((skipped + 1)); return; }
  local wide="$out/wideband/$3/$4/$5/$6.wav" tel="$out/telephone/$3/$4/$5/$6.wav"
  mkdir -p "$(dirname "$wide")" "$(dirname "$tel")"
  if ! sox -R "$tmp/in.$ext" -r 16000 -c 1 -b 16 -e signed-integer "$wide" trim 0 4 2>/dev/null; then
    rm -f "$wide"; skipped=$((skipped + 1)); return
  fi
  # A clip with no sound above −60 dBFS peak is a failed recording, not a sound of its class.
  local peak
  peak=$(sox "$wide" -n stat 2>&1 | awk '/Maximum amplitude/ {print $3}')
  if awk -v p="$peak" 'BEGIN { exit !(p < 0.001) }'; then
    rm -f "$wide"; skipped=$((skipped + 1)); return
  fi
  bash "$here/telephone-channel.sh" "$wide" "$tel"
  written=$((written + 1))
}

# EmoGator: every Nth contributor.
declare -A event_of=([02]=laugh [22]=sigh [24]=crying [15]=gasp [27]=gasp [05]=none [06]=none [10]=none [17]=none [18]=none)
git --git-dir="$emogator" ls-tree -r --name-only HEAD data/mp3 | while read -r path; do
  name=$(basename "$path" .mp3)            # NNNNNN-EE-I
  speaker=${name%%-*}
  rest=${name#*-}
  category=${rest%%-*}
  instance=${rest#*-}
  label=${event_of[$category]:-}
  [ -n "$label" ] || continue
  (( 10#$speaker % step == offset % step )) || continue
  case $category in
    15|27) [ "$instance" -le 2 ] || continue ;;
    05|06|10|17|18) [ "$instance" -eq 1 ] || continue ;;
  esac
  echo "$path $label emogator-$speaker $name"
done >"$tmp/emogator.list"

# EmoDB: speaker = first two digits, emotion = sixth character.
git --git-dir="$emodb" ls-tree -r --name-only HEAD wav | grep '\.wav$' | while read -r path; do
  name=$(basename "$path" .wav)
  speaker=emodb-${name:0:2}
  case ${name:5:1} in
    W) echo "$path emotion angry $speaker $name"; echo "$path speech none $speaker $name" ;;
    N) echo "$path emotion neutral $speaker $name"; echo "$path speech none $speaker $name" ;;
    F) echo "$path emotion happy $speaker $name"; echo "$path speech none $speaker $name" ;;
    T) echo "$path emotion sad $speaker $name"; echo "$path speech none $speaker $name" ;;
    L|E|A) echo "$path speech none $speaker $name" ;;
  esac
done >"$tmp/emodb.list"

while read -r path label speaker name; do add "$emogator" "$path" events "$label" "$speaker" "$name"; done <"$tmp/emogator.list"
while read -r path set label speaker name; do add "$emodb" "$path" "$set" "$label" "$speaker" "$name"; done <"$tmp/emodb.list"

echo "fetch-training-data.sh: $written clips written to $out/{wideband,telephone}, $skipped skipped"
for set in events emotion speech; do
  for d in "$out/telephone/$set"/*/; do
    [ -d "$d" ] && echo "  $set/$(basename "$d"): $(find "$d" -name '*.wav' | wc -l) clips, $(find "$d" -mindepth 1 -maxdepth 1 -type d | wc -l) speakers"
  done
done
