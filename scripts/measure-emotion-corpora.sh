#!/usr/bin/env bash
# How the emotion model holds on voices of another corpus (issue 14): for the emotion set that
# scripts/fetch-training-data.sh builds (DATA_DIR/{telephone,wideband}/emotion/<label>/<speaker>/), with speakers
# grouped into corpora by their name's prefix (emodb-03 -> emodb, cremad-1001 -> cremad), it prints, speaker-grouped,
# telephone and wideband:
#   a. the shipped model (src/Inference/Paralinguistics/Trained/Models/emotion.json) scored by `stepaudio eval` on
#      each corpus (cross-corpus for any corpus it was not trained on; marked "in training" for EmoDB's speakers);
#   b. `stepaudio train --task emotion`'s 5-fold speaker-grouped cross-validation (one fold a speaker for a corpus of
#      fewer than 5) within each corpus, and on the
#      union when there are several;
#   c. leave-one-corpus-out: a model trained on every other corpus (by `train`, with the shipped model's options),
#      scored by `eval` on the corpus left out.
#   d. paired, on the same held-out speakers (when there are several corpora): each corpus's speakers are split into
#      PAIRED_FOLDS (default 4) folds (sorted names, i mod K); for fold k a model trained on the corpus's other folds
#      ("own") and one trained on every corpus's other folds ("union") are both scored by `eval` on the corpus's fold
#      k, and the confusions are summed over the folds. This is the comparison a decision to ship a union model rests
#      on: the same voices, the same run-time path (each caller's running baseline), only the training set differs.
# TRAIN_ARGS: extra `train` options for b, c and d (e.g. "--l2 1" or "--exclude-measure mel*"), to measure a simpler
# model with the same script. REPORT_DIR (default VIEW_DIR/reports): every step's full report (per-class precision
# and recall, confusion), and d's summed confusions, which the table below cites.
# The speakers of the committed test subset (scripts/lib/test-subset.sh) are left out of everything, as
# train-paralinguistics.sh leaves them out of the shipped model. Each speaker is one caller: `eval` and `train` judge
# their clips against their own running baseline, so a corpus's loudness and pitch norms are the baseline's to absorb.
# CORPUS_MAP: a file of "speaker corpus" lines that regroups speakers (others keep their prefix), e.g. EmoDB's men
# against its women, the one split that can be measured with EmoDB alone:
#   CORPUS_MAP=<(printf '%s\n' 'emodb-10 men' 'emodb-11 men' 'emodb-12 men' 'emodb-15 men' \
#     'emodb-09 women' 'emodb-13 women' 'emodb-14 women' 'emodb-16 women') scripts/measure-emotion-corpora.sh DATA_DIR
# Usage: [CORPUS_MAP=FILE] [FEATURE_CACHE=DIR] [VIEW_DIR=DIR] [REPORT_DIR=DIR] [TRAIN_ARGS=…] [PAIRED_FOLDS=K]
#   measure-emotion-corpora.sh [DATA_DIR]
#   (default .cache/training). Models it trains go to a temporary folder; nothing under src/ changes. VIEW_DIR (default
#   .cache/emotion-corpora) holds the per-corpus views (symbolic links to the speaker folders; stable paths, so the
#   feature cache serves later runs). CPU only; about a minute per corpus on EmoDB's 8 speakers.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$(cd "${1:-.cache/training}" && pwd)
cache=${FEATURE_CACHE:-.cache/features}
views=${VIEW_DIR:-.cache/emotion-corpora}
reports=${REPORT_DIR:-$views/reports}
paired_folds=${PAIRED_FOLDS:-4}
set -f # TRAIN_ARGS may hold --exclude-measure patterns (mel*): for the trainer, not the shell
read -r -a train_args <<<"${TRAIN_ARGS:-}"
set +f
labels=(angry happy neutral sad)
channels=(telephone wideband)
# shellcheck source=lib/test-subset.sh
source "$repo/scripts/lib/test-subset.sh"
declare -A held_out=()
for speaker in "${test_subset_emodb[@]}" "${test_subset_emogator[@]}" "${test_subset_coswara[@]}"; do held_out[$speaker]=1; done
declare -A mapped=()
if [ -n "${CORPUS_MAP:-}" ]; then
  while read -r speaker corpus; do [ -n "$speaker" ] && mapped[$speaker]=$corpus; done <"$CORPUS_MAP"
fi

# Which corpus each speaker of the emotion set belongs to (one folder per speaker under each label).
declare -A corpus_of=()
for dir in "$data"/telephone/emotion/*/*/; do
  speaker=$(basename "$dir")
  [ -z "${held_out[$speaker]:-}" ] || continue
  corpus_of[$speaker]=${mapped[$speaker]:-${speaker%%-*}}
done
if [ "${#corpus_of[@]}" = 0 ]; then
  echo "measure-emotion-corpora.sh: no speaker folders under $data/telephone/emotion/<label>/" >&2
  exit 1
fi
mapfile -t corpora < <(printf '%s\n' "${corpus_of[@]}" | sort -u)
# d's folds: within each corpus, its speakers in name order, i mod K.
declare -A fold_of=()
for corpus in "${corpora[@]}"; do
  i=0
  while read -r speaker; do
    fold_of[$speaker]=$((i % paired_folds)) i=$((i + 1))
  done < <(for speaker in "${!corpus_of[@]}"; do [ "${corpus_of[$speaker]}" != "$corpus" ] || echo "$speaker"; done | sort)
done

# view NAME FILTER [FOLD]: VIEW_DIR/NAME/<channel>/<label>/<speaker> -> the speaker's folder, for the speakers whose
# corpus FILTER accepts ("=c": corpus c; "!c": every corpus but c; "*": all) and whose d fold FOLD accepts ("=k": fold
# k; "!k": every fold but k; none: all).
view() {
  local name=$1 filter=$2 fold=${3:-} channel label speaker corpus
  rm -rf "${views:?}/$name"
  for speaker in "${!corpus_of[@]}"; do
    corpus=${corpus_of[$speaker]}
    case $filter in
      "*") ;;
      =*) [ "$corpus" = "${filter:1}" ] || continue ;;
      !*) [ "$corpus" != "${filter:1}" ] || continue ;;
    esac
    case $fold in
      "") ;;
      =*) [ "${fold_of[$speaker]}" = "${fold:1}" ] || continue ;;
      !*) [ "${fold_of[$speaker]}" != "${fold:1}" ] || continue ;;
    esac
    for channel in "${channels[@]}"; do
      for label in "${labels[@]}"; do
        [ -d "$data/$channel/emotion/$label/$speaker" ] || continue
        mkdir -p "$views/$name/$channel/$label"
        ln -s "$data/$channel/emotion/$label/$speaker" "$views/$name/$channel/$label/$speaker"
      done
    done
  done
}

dotnet build "$repo/src/Cli" -c Release -nologo -v quiet >/dev/null
stepaudio=(nice -n 10 dotnet "$repo/src/Cli/bin/Release/net10.0/stepaudio.dll")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$views" "$reports"
views=$(cd "$views" && pwd)
reports=$(cd "$reports" && pwd)
# The UAR of each scored set, in order, from the report lines "accuracy A  UAR U  chance UAR C".
uars() { awk '$1 == "accuracy" && $3 == "UAR" { print $4 }' | paste -sd' '; }
declare -A result=()

for corpus in "${corpora[@]}"; do
  view "$corpus" "=$corpus"
  speakers=0 note=""
  for speaker in "${!corpus_of[@]}"; do
    if [ "${corpus_of[$speaker]}" = "$corpus" ]; then
      speakers=$((speakers + 1))
      # The shipped model was trained on EmoDB (all but the test subset): its score there is not a held-out one.
      if [[ $speaker == emodb-* ]]; then note=" (in training)"; fi
    fi
  done
  echo "$corpus: $speakers speakers, $(find -L "$views/$corpus/telephone" -name '*.wav' | wc -l) clips a channel" >&2
  for channel in "${channels[@]}"; do
    "${stepaudio[@]}" eval "$views/$corpus/$channel" >"$tmp/a-$corpus-$channel.txt"
    result[a,$corpus,$channel]="$(uars <"$tmp/a-$corpus-$channel.txt")$note"
  done
  # 5 folds, or one a speaker when a corpus has fewer (an empty fold scores nothing).
  "${stepaudio[@]}" train --task emotion --data "$views/$corpus/telephone" --data "$views/$corpus/wideband" \
    --folds $((speakers < 5 ? speakers : 5)) --feature-cache "$cache" "${train_args[@]}" --out "$tmp/cv-$corpus.json" >"$tmp/b-$corpus.txt"
  read -r tel wide < <(uars <"$tmp/b-$corpus.txt")
  result[b,$corpus,telephone]=$tel result[b,$corpus,wideband]=$wide
done

if [ "${#corpora[@]}" -gt 1 ]; then
  view all "*"
  "${stepaudio[@]}" train --task emotion --data "$views/all/telephone" --data "$views/all/wideband" \
    --feature-cache "$cache" "${train_args[@]}" --out "$tmp/cv-all.json" >"$tmp/b-all.txt"
  read -r tel wide < <(uars <"$tmp/b-all.txt")
  result[b,union,telephone]=$tel result[b,union,wideband]=$wide
  for corpus in "${corpora[@]}"; do
    view "not-$corpus" "!$corpus"
    "${stepaudio[@]}" train --task emotion --data "$views/not-$corpus/telephone" --data "$views/not-$corpus/wideband" \
      --feature-cache "$cache" "${train_args[@]}" --out "$tmp/loco-$corpus.json" >"$tmp/c-train-$corpus.txt"
    printf '{ "Paralinguistics": { "EmotionModel": "%s" } }\n' "$tmp/loco-$corpus.json" >"$tmp/loco-$corpus.settings.json"
    for channel in "${channels[@]}"; do
      "${stepaudio[@]}" eval "$views/$corpus/$channel" --config "$tmp/loco-$corpus.settings.json" >"$tmp/c-$corpus-$channel.txt"
      result[c,$corpus,$channel]=$(uars <"$tmp/c-$corpus-$channel.txt")
    done
  done
fi

# d. own versus union on the same held-out speakers.
if [ "${#corpora[@]}" -gt 1 ]; then
  for ((k = 0; k < paired_folds; k++)); do
    # `train` with no folds: only the fitted model is wanted here.
    fit() { "${stepaudio[@]}" train --task emotion --data "$views/$1/telephone" --data "$views/$1/wideband" --folds 0 \
      --feature-cache "$cache" "${train_args[@]}" --out "$tmp/$1.json" >/dev/null
      printf '{ "Paralinguistics": { "EmotionModel": "%s" } }\n' "$tmp/$1.json" >"$tmp/$1.settings.json"; }
    view "d-union-$k" "*" "!$k"
    fit "d-union-$k"
    for corpus in "${corpora[@]}"; do
      view "d-$corpus-train-$k" "=$corpus" "!$k"
      view "d-$corpus-test-$k" "=$corpus" "=$k"
      [ -d "$views/d-$corpus-test-$k/telephone" ] || continue
      fit "d-$corpus-train-$k"
      for channel in "${channels[@]}"; do
        "${stepaudio[@]}" eval "$views/d-$corpus-test-$k/$channel" --json --config "$tmp/d-$corpus-train-$k.settings.json" >"$tmp/d-own-$corpus-$channel-$k.json"
        "${stepaudio[@]}" eval "$views/d-$corpus-test-$k/$channel" --json --config "$tmp/d-union-$k.settings.json" >"$tmp/d-union-$corpus-$channel-$k.json"
      done
    done
  done
  # Sum the folds' confusions (by label name) and report per-class precision / recall and UAR.
  summed() {
    jq -rs '[.[] | .tasks[] | select(.task == "emotion") | . as $t | range(0; $t.labels | length) as $r
        | range(0; $t.predicted | length) as $c | {t: $t.labels[$r].label, p: $t.predicted[$c], n: $t.confusion[$r][$c]}]
      | group_by([.t, .p]) | map({t: .[0].t, p: .[0].p, n: (map(.n) | add)}) as $cells
      | ($cells | map(.p) | unique) as $predicted
      | def n($t; $p): [$cells[] | select(.t == $t and .p == $p) | .n] | add // 0;
        # Only the labels with clips: eval also lists a class the set has none of (frustrated), not to be averaged.
        ($cells | map(.t) | unique | map(select(. as $l | [$predicted[] | n($l; .)] | add > 0))) as $labels
      |
        def ratio($a; $b): if $b > 0 then $a / $b else 0 end;
        [$labels[] | . as $l | {l: $l, r: ratio(n($l; $l); [$predicted[] | n($l; .)] | add),
          p: ratio(n($l; $l); [$labels[] | n(.; $l)] | add)}] as $per
      | "UAR \(($per | map(.r) | add) / ($per | length) * 1000 | round / 1000)  (\([$cells[].n] | add) clips)",
        ($per[] | "  \(.l): precision \(.p * 1000 | round / 1000)  recall \(.r * 1000 | round / 1000)"),
        "  confusion (rows: true, columns: predicted \($predicted | join(" ")))",
        ($labels[] | . as $l | "  \($l) \([$predicted[] | n($l; .)] | map(tostring) | join(" "))")' "$@"
  }
  for corpus in "${corpora[@]}"; do
    for channel in "${channels[@]}"; do
      for model in own union; do
        summed "$tmp"/d-$model-$corpus-$channel-*.json >"$reports/d-$model-$corpus-$channel.txt"
        result[d$model,$corpus,$channel]=$(awk 'NR == 1 { print $2 }' "$reports/d-$model-$corpus-$channel.txt")
      done
    done
  done
fi
cp "$tmp"/[abc]-*.txt "$tmp"/d-*.json "$reports"/ 2>/dev/null || true

echo
echo "emotion UAR (4 classes, chance 0.25), speaker-grouped; test-subset speakers left out; data: $data"
echo "train options beyond the shipped model's: ${TRAIN_ARGS:-none}; full reports: $reports"
printf '%-10s %-10s %-26s %-20s %-24s %-14s %-14s\n' corpus channel "a. shipped model (eval)" "b. 5-fold CV within" \
  "c. trained on the others" "d. own (eval)" "d. union (eval)"
for corpus in "${corpora[@]}" union; do
  for channel in "${channels[@]}"; do
    [ -n "${result[b,$corpus,$channel]:-}" ] || continue
    printf '%-10s %-10s %-26s %-20s %-24s %-14s %-14s\n' "$corpus" "$channel" "${result[a,$corpus,$channel]:--}" \
      "${result[b,$corpus,$channel]:--}" "${result[c,$corpus,$channel]:--}" "${result[down,$corpus,$channel]:--}" \
      "${result[dunion,$corpus,$channel]:--}"
  done
done
