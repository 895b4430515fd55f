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
#   Coswara (Indian Institute of Science, Bangalore; N. Sharma et al., "Coswara — A Database of Breathing, Cough, and
#              Voice Sounds for COVID-19 Diagnosis", Interspeech 2020; D. Bhattacharya et al., "Coswara: A respiratory
#              sounds and symptoms dataset for remote screening of SARS-CoV-2 infection", Scientific Data 10, 397, 2023),
#              CC BY 4.0 (github.com/iiscleap/Coswara-Data, LICENSE.md). The official repository ships its audio only as
#              split tar.gz archives that the snapshot reachable from here lacks, so the audio is read from a public
#              copy of its 2020-04-13 folder, extracted: github.com/therealmanraj/coswara at commit c06e422 (later
#              commits deleted the wav files; that repository has no licence of its own, the content is Coswara's).
#              76 participants, 9 recordings each (48 kHz, ~5 s): cough-heavy, cough-shallow, breathing-deep,
#              breathing-shallow, counting-normal, counting-fast, vowel-a/e/o. The quality labels (0 bad, 1 good,
#              2 excellent) come from the official repository's annotations/<recording>_labels.csv.
#   Deeply Nonverbal Vocalization and RAVDESS are never used (reserved for independent evaluation).
#
# Looked for and NOT used (2026-12-06), so throat clears still have no training data:
#   github.com/iiscleap/Coswara-Data (CC BY 4.0, real coughs): its audio is split tar.gz archives that the stored
#     snapshot reachable from here lists but does not hold (only the CSV metadata arrives). USED since 2026-12-07
#     through the extracted copy above (the quality labels from this repository).
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
# Looked for again (2026-12-08), still none usable:
#   karolpiczak/ESC-50: real laughing (class 26) and coughing (24) clips, and sneezing, breathing and snoring that
#     could serve as non-target sounds, each clip under its own Freesound licence (many CC0 or CC BY; the compilation
#     CC BY-NC 3.0), but the snapshot (861 MB) is over the 500 MiB the fetch tool brings here and no fork holds them.
#   esl-epfl/roar, esl-epfl/Cough-E, esl-epfl/edge-ai-cough-count (coughs, laughs and throat clears of 15 people): the
#     site and code only, the audio is on Zenodo. Sri-Harsha/NonVerbal-Detection (14 laughs, 11 neutral WAVs): no
#     licence. VictorAGomes/nonverbal-audio-gestures: whistles, claps and finger snaps, not vocal events.
# Looked for (2026-12-07, issue 14) acted / elicited emotional SPEECH beyond EmoDB, English first, to check and improve
# the emotion model on voices unlike EmoDB's 10 German actors. Licence first; then whether the audio is reachable here
# (a GitHub snapshot, files under 4 MiB, not Git LFS pointers; snapshots over 500 MiB cannot be brought here):
#   CREMA-D (github.com/CheyneyComputerScience/CREMA-D; ODbL 1.0, contents DbCL 1.0; 91 actors, English, 7,442
#     sentences; ANG/NEU/HAP/SAD = 1,271 / 1,087 / 1,271 / 1,271): licence fits, but every commit of the official
#     repository holds its audio as Git LFS pointers only (checked on all 61 commits of the snapshot); the real files
#     are in its GitHub release and a GitLab mirror (gitlab.com/cs-cooper-lab/crema-d-mirror), neither reachable from
#     here. No non-LFS copy was found on GitHub: michen00/multilingual_speech_valence_classification_datasets holds
#     it (datasets/CREMA-D) but its snapshot is 31 GB (with RAVDESS inside), michen00/unified_multilingual_dataset_of_
#     emotional_human_utterances 7.8 GB (also with RAVDESS); AudioWAV/, Crema/, data/…, dataset(s)/…, CREMA-D/…
#     paths of the file index hold no other copy; tsagketas/demokritos-ml-project, chrisjwasher/Final_Project_Group7,
#     jarneamerlinck/xtopia-repo, mohitlal31/Speech-Emotion-Recognition, zzzachos/CREMA-D, Natalie-Caruana/CREMA-D,
#     nayavanthy/CREMA-D-Emotion-Detection, audeering/crema-d: code or metadata only. PREPARED, NOT USED: the `cremad`
#     source below reads the files from a folder (CREMAD_DIR) fetched elsewhere, checked byte for byte against the
#     official LFS pointers.
#   EmoV-DB (numediart/EmoV-DB): LICENSE.md restricts it to non-commercial purposes; audio on mega.nz / OpenSLR.
#   ESD (HLTSingapore/Emotional-Speech-Data; English + Mandarin, the four classes): the MIT LICENSE covers the page,
#     the README says the data "can only be used for research purpose"; audio on Google Drive.
#   JL-Corpus (tli725/JL-Corpus; New Zealand English): no licence in the repository (the audio is on Kaggle and in
#     zips of the repository over the snapshot's 4 MiB file limit).
#   URDU-Dataset (siddiquelatif/URDU-Dataset; the four classes, 38 speakers, WAV in the repository): cut from YouTube
#     talk shows, "only for research purposes".
#   ShEMO (mansourehk/ShEMO; Persian radio plays): no licence; audio in zips over the 4 MiB limit.
#   ASED (Ethio2021/ASED_V1 and its copy wgwangang/ASED_V1; Amharic, 65 speakers, neutral/happy/sad/angry/fear, WAV in
#     the repository): no licence stated in either repository.
#   SUBESCO (Bangla), MESD (Mexican Spanish), Oreau (French), Emozionalmente (Italian), all CC BY 4.0: on Zenodo /
#     Mendeley, no GitHub copy of their audio found (albertofrattini/emozionalmente is the collection web app, with 28
#     unlabelled sample uploads). AESDD (Greek): CC BY 4.0 only per a Hugging Face re-upload, no neutral class, no
#     GitHub copy. CSEMOTIONS (Mandarin, Apache-2.0): Hugging Face only. EMOVO, SAVEE: no licence to train; TESS
#     CC BY-NC-ND, CaFE CC BY-NC-SA, emospeech-dataset-v1 CC BY-NC-SA: non-commercial; RAVDESS: never used.
#   So the emotion model is still trained on EmoDB alone (README "Emotion on other voices"; EmoGator's emotion bursts,
#   TRAINING_SOURCES=emogator-emotion below, were measured as a second corpus on 2026-12-07 and did not help).
#
# Usage: fetch-training-data.sh [OUT_DIR]   (default .cache/training)
#   EMOGATOR_GIT / EMODB_GIT / COSWARA_GIT / COSWARA_LABELS_GIT: git directories of fredbuhl/EmoGator,
#   sylaschacko/voice-emotion-analysis, therealmanraj/coswara (must hold commit c06e422) and iiscleap/Coswara-Data
#   (e.g. /work/.mirror/fredbuhl+EmoGator/repo, as the project's fetch tool leaves them). Unset, the repositories are
#   cloned from GitHub into OUT_DIR/sources (the two Coswara ones as partial clones: only the files read arrive).
#   TRAINING_SOURCES: which sources to (re)build (default "emogator emodb coswara": the whole set, rebuilt from
#   scratch); a subset rebuilds only those sources' speaker folders in an existing set (e.g. TRAINING_SOURCES=coswara).
#   COSWARA_BURSTS_PER_RECORDING: coughs cut from each cough recording (default 3).
#   EMOGATOR_SPEAKER_STEP: use every Nth EmoGator contributor (default 1: all 357, what the shipped model was trained
#   on; 3 gives the 119 of the models before 2026-12-07, 2 the 179 odd ones; README "Accuracy on real voices" compares
#   them). About 6,800 clips at step 1: 20–40 minutes on a shared 2-core machine.
#   EMOGATOR_SPEAKER_OFFSET: which of them (default 1: contributors 1, 1+N, 1+2N, …; 0 with step 2 gives the even
#   ones, which a set built with step 2 never saw, for a held-out check).
#   CREMA-D is not in the default set: TRAINING_SOURCES=cremad with CREMAD_DIR, a folder holding CREMA-D's AudioWAV
#   files (NNNN_SSS_EEE_LL.wav, from its GitHub release, its GitLab mirror or a `git lfs pull` elsewhere), adds the
#   angry/neutral/happy/sad sentences of its 91 actors. Each file must be byte for byte the one the official
#   repository's Git LFS pointer names (sha256, at commit 1658cd3; CREMAD_GIT: a git directory of
#   CheyneyComputerScience/CREMA-D, e.g. /work/.mirror/CheyneyComputerScience+CREMA-D/repo, else cloned without its
#   LFS content, a few MB); files that differ or are missing are counted and left out, and none matching is an error.
#   CREMAD_VERIFY=0 keeps the file-name check but not the bytes (a copy that was re-encoded).
#   EmoGator as an EMOTION corpus is not in the default set either: TRAINING_SOURCES=emogator-emotion (issue 14) adds
#   the bursts each contributor was asked to make for 03 Anger -> angry, 18 Neutral -> neutral, 24 Sadness -> sad and
#   EMOGATOR_HAPPY (default 13 Elation; several allowed, e.g. "13 30") -> happy, all 3 instances, to
#   OUT_DIR/{wideband,telephone}/emotion/<label>/emogator-NNNNNN/ (the emotion set, the speakers named as in the
#   events set), every contributor that EMOGATOR_SPEAKER_STEP / _OFFSET select. Why Elation: acted "happy" speech
#   (EmoDB's Freude, the check's English actors) is joy with high arousal; Elation is the category asked for exactly
#   that; Triumph (30) is a shout of victory that sits close to anger in arousal and voice, Contentment (07) is low
#   arousal (a satisfied "mmm") and would teach happy = calm, and Amusement (02) is laughter, which the event model
#   already reads as laugh. These are bursts, not sentences: README "Emotion on other voices" says what that means.
#   Rebuilding only this source leaves the events set's EmoGator folders alone (and the reverse).
#
# Layout written (one folder per speaker under each label, as `stepaudio train` / `eval` read it):
#   OUT_DIR/{wideband,telephone}/events/<label>/<speaker>/*.wav   laugh, sigh, crying, gasp (EmoGator), cough
#                                                                  (Coswara), none (EmoGator bursts, Coswara shallow
#                                                                  breathing)
#   OUT_DIR/{wideband,telephone}/nontarget/none/<speaker>/*.wav   Coswara deep breathing: never trained on, a check
#   OUT_DIR/{wideband,telephone}/emotion/<label>/<speaker>/*.wav  angry, neutral, happy, sad (EmoDB W, N, F, T;
#                                                                  CREMA-D ANG, NEU, HAP, SAD and EmoGator's
#                                                                  bursts 03, 18, EMOGATOR_HAPPY, 24 when built)
#   OUT_DIR/{wideband,telephone}/speech/none/<speaker>/*.wav      all 535 EmoDB sentences (7 emotions) and Coswara's
#                                                                  counting, for false alarms
# Speakers are named by source: emogator-NNNNNN, emodb-NN, coswara-<participant id>, cremad-NNNN.
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
# Needs sox (with mp3 support for EmoGator (Debian: libsox-fmt-mp3, installed here when missing)) and git.
set -euo pipefail
out=${1:-.cache/training}
step=${EMOGATOR_SPEAKER_STEP:-1}
offset=${EMOGATOR_SPEAKER_OFFSET:-1}
sources=" ${TRAINING_SOURCES:-emogator emodb coswara} "
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The Coswara copy we read (coswara_commit) and how its recordings and quality labels are listed.
# shellcheck source=lib/coswara.sh
source "$here/lib/coswara.sh"
# The CREMA-D listing we check a copy against: the newest commit of github.com/CheyneyComputerScience/CREMA-D (its
# AudioWAV files are Git LFS pointers there, each naming the sha256 and size of the real file).
cremad_commit=1658cd342dff90010aa843eaeebd53610a08b1dc
uses() { [[ $sources == *" $1 "* ]]; }

if { uses emogator || uses emogator-emotion; } && ! sox -h 2>/dev/null | grep -q ' mp3 '; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq libsox-fmt-mp3 >/dev/null || { apt-get update -qq && apt-get install -y -qq libsox-fmt-mp3 >/dev/null; }
  else
    echo "fetch-training-data.sh: sox lacks mp3 support; install libsox-fmt-mp3" >&2
    exit 1
  fi
fi

source_dir() { # env-var-value github-name [clone options]
  if [ -n "$1" ]; then echo "$1"; return; fi
  local dir="$out/sources/${2//\//+}.git"
  [ -d "$dir" ] || git clone --quiet --bare "${@:3}" "https://github.com/$2.git" "$dir"
  echo "$dir"
}
if uses emogator || uses emogator-emotion; then emogator=$(source_dir "${EMOGATOR_GIT:-}" fredbuhl/EmoGator); fi
if uses emodb; then emodb=$(source_dir "${EMODB_GIT:-}" sylaschacko/voice-emotion-analysis); fi
if uses coswara; then
  # Partial clones: only the blobs read below are downloaded (the Coswara repositories hold gigabytes of archives).
  coswara=$(source_dir "${COSWARA_GIT:-}" therealmanraj/coswara --filter=blob:none)
  coswara_labels=$(source_dir "${COSWARA_LABELS_GIT:-}" iiscleap/Coswara-Data --filter=blob:none)
  if ! git --git-dir="$coswara" cat-file -e "$coswara_commit^{commit}" 2>/dev/null; then
    echo "fetch-training-data.sh: $coswara lacks commit $coswara_commit of github.com/therealmanraj/coswara" \
      "(the one that holds Extracted_data/20200413); set COSWARA_GIT to a clone that has it" >&2
    exit 1
  fi
  if ! git --git-dir="$coswara_labels" cat-file -e HEAD:annotations/cough-heavy_labels.csv 2>/dev/null; then
    echo "fetch-training-data.sh: $coswara_labels has no annotations/cough-heavy_labels.csv" \
      "(github.com/iiscleap/Coswara-Data); set COSWARA_LABELS_GIT" >&2
    exit 1
  fi
fi

if uses cremad; then
  if [ -z "${CREMAD_DIR:-}" ] || [ ! -d "$CREMAD_DIR" ]; then
    echo "fetch-training-data.sh: the cremad source needs CREMAD_DIR, a folder holding CREMA-D's AudioWAV files" \
      "(the official repository keeps them in Git LFS, which a plain clone does not bring)" >&2
    exit 1
  fi
  cremad=$(source_dir "${CREMAD_GIT:-}" CheyneyComputerScience/CREMA-D)
  if ! git --git-dir="$cremad" cat-file -e "$cremad_commit^{commit}" 2>/dev/null; then
    echo "fetch-training-data.sh: $cremad lacks commit $cremad_commit of github.com/CheyneyComputerScience/CREMA-D;" \
      "set CREMAD_GIT to a clone that has it" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$sources" = " emogator emodb coswara " ]; then
  rm -rf "$out/wideband" "$out/telephone"
else
  # Only some sources: rebuild their speakers' folders, keep the rest of the set.
  # emogator (events) and emogator-emotion (emotion) share the speaker names: each rebuilds only its own set.
  for source in $sources; do
    case $source in
      emogator) sets=(events) prefix=emogator ;;
      emogator-emotion) sets=(emotion) prefix=emogator ;;
      *) sets=(events nontarget emotion speech) prefix=$source ;;
    esac
    for set in "${sets[@]}"; do
      find "$out/wideband/$set" "$out/telephone/$set" -mindepth 2 -maxdepth 2 -type d -name "$prefix-*" -exec rm -rf {} + 2>/dev/null || true
    done
  done
fi
written=0
skipped=0

peak_of() { sox "$1" -n stat 2>&1 | awk '/Maximum amplitude/ {print $3}'; }

# add_file FILE SET LABEL SPEAKER NAME: one clip from a local file, wideband and telephone.
add_file() {
  local wide="$out/wideband/$2/$3/$4/$5.wav" tel="$out/telephone/$2/$3/$4/$5.wav"
  mkdir -p "$(dirname "$wide")" "$(dirname "$tel")"
  if ! sox -R "$1" -r 16000 -c 1 -b 16 -e signed-integer "$wide" trim 0 4 2>/dev/null; then
    rm -f "$wide"; skipped=$((skipped + 1)); return
  fi
  # A clip with no sound above −60 dBFS peak is a failed recording, not a sound of its class.
  if awk -v p="$(peak_of "$wide")" 'BEGIN { exit !(p < 0.001) }'; then
    rm -f "$wide"; skipped=$((skipped + 1)); return
  fi
  bash "$here/telephone-channel.sh" "$wide" "$tel"
  written=$((written + 1))
}

# add GIT_DIR PATH_IN_REPO SET LABEL SPEAKER NAME [REVISION]: one clip out of a repository (HEAD unless named).
add() {
  local ext=${2##*.}
  git --git-dir="$1" show "${7:-HEAD}:$2" >"$tmp/in.$ext" 2>/dev/null || { skipped=$((skipped + 1)); return; }
  add_file "$tmp/in.$ext" "$3" "$4" "$5" "$6"
}

if uses emogator; then
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

  while read -r path label speaker name; do add "$emogator" "$path" events "$label" "$speaker" "$name"; done <"$tmp/emogator.list"
fi

if uses emogator-emotion; then
  # EmoGator as an emotion corpus: the category each contributor was asked to express, all three instances.
  # The test subset's contributors (scripts/lib/test-subset.sh) are not written at all: no emotion model may hear
  # them, and the measurements then need no list to stay honest.
  # shellcheck source=lib/test-subset.sh
  source "$here/lib/test-subset.sh"
  declare -A test_subset=()
  for speaker in "${test_subset_emogator[@]}"; do test_subset[$speaker]=1; done
  declare -A emotion_of=([03]=angry [18]=neutral [24]=sad)
  for category in ${EMOGATOR_HAPPY:-13}; do
    case $category in
      0[1-9]|[12][0-9]|30) emotion_of[$category]=happy ;;
      *) echo "fetch-training-data.sh: EMOGATOR_HAPPY: '$category' is not an EmoGator category (01-30)" >&2; exit 1 ;;
    esac
  done
  git --git-dir="$emogator" ls-tree -r --name-only HEAD data/mp3 | while read -r path; do
    name=$(basename "$path" .mp3)            # NNNNNN-EE-I
    speaker=${name%%-*}
    rest=${name#*-}
    label=${emotion_of[${rest%%-*}]:-}
    [ -n "$label" ] || continue
    (( 10#$speaker % step == offset % step )) || continue
    [ -z "${test_subset[emogator-$speaker]:-}" ] || continue
    echo "$path $label emogator-$speaker $name"
  done >"$tmp/emogator-emotion.list"

  while read -r path label speaker name; do add "$emogator" "$path" emotion "$label" "$speaker" "$name"; done <"$tmp/emogator-emotion.list"
fi

if uses emodb; then
  # EmoDB: speaker = first two digits, emotion = sixth character.
  git --git-dir="$emodb" ls-tree -r --name-only HEAD wav | grep '\.wav$' | while read -r path; do
    name=$(basename "$path" .wav)
    speaker=emodb-${name:0:2}
    case ${name:5:1} in
      W) echo "$path emotion angry $speaker $name" ;;
      N) echo "$path emotion neutral $speaker $name" ;;
      F) echo "$path emotion happy $speaker $name" ;;
      T) echo "$path emotion sad $speaker $name" ;;
    esac
    echo "$path speech none $speaker $name"   # every sentence, all seven emotions, for false alarms on speech
  done >"$tmp/emodb.list"

  while read -r path set label speaker name; do add "$emodb" "$path" "$set" "$label" "$speaker" "$name"; done <"$tmp/emodb.list"
fi

# Coswara, participants of 2020-04-13: every recording its annotators did not mark bad (quality 0; 1 good and
# 2 excellent are kept). A recording that is byte for byte one already read (the copy holds one twice) is skipped.
# cough-heavy / cough-shallow hold 3–6 coughs each: cut into bursts where the sound stays 35 dB under the recording's
# peak for 0.2 s (sox silence; the trailing 0.2 s of room sound is kept), at most $coswara_bursts per recording,
# 0.25–3 s long (shorter: a click; longer: no pause, background noise over the threshold) -> events/cough.
# breathing-shallow -> events/none (non-target breath noise, trained on); breathing-deep -> nontarget/none, a set of
# non-target sounds that train-paralinguistics.sh does NOT read, so `stepaudio eval OUT_DIR/telephone/nontarget` tells
# how often breath the model never heard raises an event (README "Coughs"); counting-normal / counting-fast
# (counting aloud in English, Indian accents) -> speech/none. Those are cut at 4 s like every other clip.
coswara_bursts=${COSWARA_BURSTS_PER_RECORDING:-3}
if uses coswara; then
  declare -A coswara_seen=()
  coswara_read_quality "$coswara_labels" cough-heavy cough-shallow breathing-deep breathing-shallow counting-normal counting-fast
  while IFS=$'\t' read -r blob path; do
    participant=$(basename "$(dirname "$path")")
    kind=$(basename "$path" .wav)
    speaker=coswara-$participant
    [ -n "${coswara_good[${participant}_$kind]:-}" ] || { skipped=$((skipped + 1)); continue; }
    [ -z "${coswara_seen[$blob]:-}" ] || { skipped=$((skipped + 1)); continue; }
    coswara_seen[$blob]=1
    case $kind in
      breathing-shallow) add "$coswara" "$path" events none "$speaker" "$speaker-$kind" "$coswara_commit" ;;
      breathing-deep) add "$coswara" "$path" nontarget none "$speaker" "$speaker-$kind" "$coswara_commit" ;;
      counting-*) add "$coswara" "$path" speech none "$speaker" "$speaker-$kind" "$coswara_commit" ;;
      cough-*)
        git --git-dir="$coswara" show "$coswara_commit:$path" >"$tmp/cough.wav" 2>/dev/null || { skipped=$((skipped + 1)); continue; }
        threshold=$(awk -v p="$(peak_of "$tmp/cough.wav")" 'BEGIN { printf "%.1fd", (p > 0 ? 20 * log(p) / log(10) : -100) - 35 }')
        rm -f "$tmp"/burst-*.wav
        sox "$tmp/cough.wav" "$tmp/burst-.wav" silence -l 1 0.03 "$threshold" 1 0.2 "$threshold" : newfile : restart 2>/dev/null || true
        n=0
        for burst in "$tmp"/burst-*.wav; do
          [ -f "$burst" ] && [ "$n" -lt "$coswara_bursts" ] || break
          if awk -v d="$(soxi -D "$burst")" 'BEGIN { exit !(d >= 0.25 && d <= 3) }'; then
            n=$((n + 1))
            add_file "$burst" events cough "$speaker" "$speaker-$kind-$n"
          fi
        done
        [ "$n" -gt 0 ] || skipped=$((skipped + 1))
        ;;
    esac
  done < <(coswara_recordings "$coswara" '/(cough|breathing|counting)-[a-z]+[.]wav$')
fi

# CREMA-D: actor = first field, emotion = third; only the four classes of the emotion model. Each file is checked
# against the official repository's LFS pointer (sha256), so only CREMA-D's own recordings, unaltered, get in.
if uses cremad; then
  declare -A cremad_oid=()
  # Blob id -> LFS oid, in one pass over the pointers (a pointer is three short lines; see git-lfs/spec v1).
  while read -r blob oid; do cremad_oid[$blob]=$oid; done < <(
    git --git-dir="$cremad" ls-tree -r "$cremad_commit" AudioWAV | awk '{ print $3 }' \
      | git --git-dir="$cremad" cat-file --batch \
      | awk '/^[0-9a-f]+ blob [0-9]+$/ { blob = $1 } /^oid sha256:/ { print blob, substr($2, 8) }')
  cremad_written=$written cremad_missing=0 cremad_different=0
  while IFS=$'\t' read -r meta path; do
    name=${path##*/}
    name=${name%.wav}                      # NNNN_SSS_EEE_LL
    IFS=_ read -r actor _ emotion _ <<<"$name"
    case $emotion in
      ANG) label=angry ;; NEU) label=neutral ;; HAP) label=happy ;; SAD) label=sad ;; *) continue ;;
    esac
    file="$CREMAD_DIR/$name.wav"
    if [ ! -f "$file" ]; then cremad_missing=$((cremad_missing + 1)); skipped=$((skipped + 1)); continue; fi
    blob=${meta##* }
    if [ "${CREMAD_VERIFY:-1}" != 0 ] && [ "$(sha256sum <"$file" | cut -d' ' -f1)" != "${cremad_oid[$blob]:-}" ]; then
      cremad_different=$((cremad_different + 1)); skipped=$((skipped + 1)); continue
    fi
    add_file "$file" emotion "$label" "cremad-$actor" "$name"
  done < <(git --git-dir="$cremad" ls-tree -r "$cremad_commit" AudioWAV)
  echo "fetch-training-data.sh: CREMA-D: $((written - cremad_written)) clips; $cremad_missing not in $CREMAD_DIR," \
    "$cremad_different not the official bytes (an LFS pointer, or re-encoded: CREMAD_VERIFY=0 to take them)"
  if [ "$written" = "$cremad_written" ]; then
    echo "fetch-training-data.sh: no CREMA-D clip written from $CREMAD_DIR" >&2
    exit 1
  fi
fi

echo "fetch-training-data.sh: $written clips written to $out/{wideband,telephone}, $skipped skipped"
for set in events nontarget emotion speech; do
  for d in "$out/telephone/$set"/*/; do
    # `if`, not `&&`: a set this run did not build must not make the script's status 1.
    if [ -d "$d" ]; then
      echo "  $set/$(basename "$d"): $(find "$d" -name '*.wav' | wc -l) clips, $(find "$d" -mindepth 1 -maxdepth 1 -type d | wc -l) speakers"
    fi
  done
done
