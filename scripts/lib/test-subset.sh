# The speakers of the real test subset committed under tests/data/real (its NOTICE.md): make-real-test-subset.sh
# copies their clips, train-paralinguistics.sh leaves them out of every shipped model and make-pitch-set.sh of the
# tuning set (SKIP_HELD_OUT=1), so the CI floors measure voices no model heard. One list, so the three cannot drift.
# Source it; it defines arrays only.
# shellcheck disable=SC2034  # used by the scripts that source this file
test_subset_emogator=(emogator-000001 emogator-000004 emogator-000007)
test_subset_coswara=(coswara-0Rlzhiz6bybk77wdLjxwy7yLDhg1 coswara-1ctsxp37dWNbCbizTioZzpAWqJx2 coswara-2TkAK2YVkYS7Ux3hAPBUgYgg9DI3)
test_subset_emodb=(emodb-03 emodb-08)
