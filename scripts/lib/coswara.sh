# Reading the Coswara recordings (CC BY 4.0; scripts/fetch-training-data.sh's header says where they come from), for
# fetch-training-data.sh (coughs, breathing, counting) and make-pitch-set.sh (SOURCE=coswara), so the two agree on the
# copy read and on which recordings the annotators rejected. Source it; it defines a constant and two functions.

# The commit of github.com/therealmanraj/coswara that still holds the extracted 2020-04-13 folder (later commits
# deleted the wav files).
# shellcheck disable=SC2034  # used by the scripts that source this file
coswara_commit=c06e422ae89d2c382c220c281ed04238c6bf0870

# coswara_read_quality LABELS_GIT KIND...: marks in the global associative array coswara_good every
# <participant>_<kind> recording that the official annotations (annotations/<kind>_labels.csv of
# github.com/iiscleap/Coswara-Data: 0 bad, 1 good, 2 excellent) do not mark bad.
coswara_read_quality() {
  local labels=$1 kind file quality
  shift
  declare -gA coswara_good
  for kind in "$@"; do
    while IFS=, read -r file quality; do
      [ "$quality" = 0 ] || coswara_good[$file]=1
    done < <(git --git-dir="$labels" show "HEAD:annotations/${kind}_labels.csv" | tr -d ' \r' | tail -n +2)
  done
}

# coswara_recordings GIT PATTERN: "<blob>\t<path>" of every 2020-04-13 recording whose path matches the awk regular
# expression PATTERN (e.g. '/(cough|breathing)-[a-z]+[.]wav$': awk reads it as a string, so no backslashes).
coswara_recordings() {
  git --git-dir="$1" ls-tree -r "$coswara_commit" Extracted_data/20200413 \
    | awk -F'\t' -v pattern="$2" '$2 ~ pattern { split($1, a, " "); print a[3] "\t" $2 }'
}
