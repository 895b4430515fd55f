#!/usr/bin/env bash
# Where a process's CPU goes, per thread kind, over an interval: CPU seconds (utime + stime from
# /proc/PID/task/TID/stat) and seconds spent runnable but waiting for a core (the second field of
# /proc/PID/task/TID/schedstat), summed per thread name (comm; .NET names its pool threads ".NET TP Worker" and so on).
# Threads that start or end inside the interval count from their first or to their last sample.
#
#   bash scripts/thread-cpu.sh PID [SECONDS]        (default 20 s)
#
# Used by scripts/load-test.sh --threads; needs nothing but /proc.
set -euo pipefail
pid=${1:?usage: thread-cpu.sh PID [SECONDS]}
seconds=${2:-20}
clk_tck=$(getconf CLK_TCK)

sample() { # -> lines "tid<TAB>comm<TAB>cpu_ticks<TAB>wait_ns<TAB>nice"
  local dir tid stat comm rest wait
  for dir in /proc/"$pid"/task/*; do
    tid=${dir##*/}
    stat=$(cat "$dir/stat" 2>/dev/null) || continue
    wait=$(cut -d' ' -f2 "$dir/schedstat" 2>/dev/null) || wait=0
    # comm may hold spaces: it is the text between the first "(" and the last ")".
    comm=${stat#*(}
    comm=${comm%)*}
    rest=${stat##*) }
    # rest starts at field 3 (state): utime is field 14, stime 15, nice 19.
    set -- $rest
    printf '%s\t%s\t%s\t%s\t%s\n' "$tid" "$comm" $((${12} + ${13})) "${wait:-0}" "${17}"
  done
}

[ -d "/proc/$pid" ] || { echo "no process $pid" >&2; exit 1; }
before=$(mktemp)
after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
sample >"$before"
sleep "$seconds"
sample >"$after"

awk -F'\t' -v hz="$clk_tck" -v secs="$seconds" '
  NR == FNR { cpu0[$1] = $3; wait0[$1] = $4; next }
  {
    c = $3 - (($1 in cpu0) ? cpu0[$1] : 0)
    w = $4 - (($1 in wait0) ? wait0[$1] : 0)
    name = $2 " (nice " $5 ")"
    cpu[name] += c / hz; waitn[name] += w / 1e9; threads[name]++
    total += c / hz; totalwait += w / 1e9
  }
  END {
    printf "%-36s %7s %9s %7s %11s\n", "thread (nice)", "threads", "CPU s", "cores", "waiting s"
    sorter = "sort -t \"\t\" -k1,1 -rn | cut -f2-"
    for (n in cpu) printf "%.4f\t%-36s %7d %9.2f %7.2f %11.2f\n", cpu[n], n, threads[n], cpu[n], cpu[n] / secs, waitn[n] | sorter
    close(sorter)
    printf "%-36s %7s %9.2f %7.2f %11.2f\n", "all threads, " secs " s", "", total, total / secs, totalwait
  }' "$before" "$after"
