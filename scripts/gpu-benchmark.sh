#!/usr/bin/env bash
# GPU figures of the batched VAD in one run: streams per GPU through the gateway's own scheduler at batch 1 to 4,096,
# the bare ONNX Runtime probe at the same batches (the ratio is what the scheduler keeps), and the CPU figure of the
# same machine beside them (all cores, one inference thread per core).
#
#   scripts/gpu-benchmark.sh                       # on a CUDA host with .NET: publish, then run
#   scripts/gpu-benchmark.sh --publish DIR         # here: publish self-contained into DIR (+ DIR.tar.xz.part-*, each < 60 MB)
#   scripts/gpu-benchmark.sh --run DIR             # on the device (no .NET): run a published DIR
# Options: --batches 1,256,1024,4096  --seconds 5  --gpu-threads 1,4  --cpu-batches 1,256  --strict on|off
# On a host without CUDA the "cuda" rows fall back to the CPU (one warning line) and say provider=cpu: the script
# still runs end to end, which is how it is tested on the development machine.
# Needs CUDA 13 and cuDNN 9 on the host; their folders are found under /usr/local/cuda* and the usual Python wheels,
# or given in CUDA_LIB_DIRS (colon-separated).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

mode=all
dir=""
batches="1,16,256,1024,4096"
cpu_batches=""
gpu_threads="1,4"
seconds=5
strict=off
while (($#)); do
  case "$1" in
    --publish) mode=publish; dir=$2; shift 2 ;;
    --run) mode=run; dir=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --cpu-batches) cpu_batches=$2; shift 2 ;;
    --gpu-threads) gpu_threads=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --strict) strict=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
cpu_batches=${cpu_batches:-$batches}
log() { printf '[gpu-benchmark] %s\n' "$*" >&2; }

publish() { # dir
  bash "$repo/scripts/fetch-vad-model.sh"
  log "publishing the benchmarks self-contained for linux-x64 into $1"
  dotnet publish "$repo/benchmarks/StepAudio.Telephony.Benchmarks" -c Release -r linux-x64 --self-contained \
    -nologo -v quiet -o "$1" >/dev/null
  mkdir -p "$1/models"
  cp "$repo/models/silero_vad_v5.onnx" "$1/models/"
  cp "$repo/scripts/gpu-benchmark.sh" "$1/"
}

if [ "$mode" = publish ]; then
  publish "$dir"
  # The device takes at most 64 MiB per call: an xz archive cut in pieces under 60 MB, carried one per call.
  log "packing $dir into $dir.tar.xz.part-* (xz -6, can take a few minutes)"
  tar -C "$(dirname "$dir")" -cf - "$(basename "$dir")" | xz -T0 -6 | split -b 58M - "$dir.tar.xz.part-"
  ls -l "$dir".tar.xz.part-* >&2
  log "on the device: cat DIR.tar.xz.part-* | xz -d | tar -xf - && bash DIR/gpu-benchmark.sh --run DIR"
  exit 0
fi

if [ "$mode" = all ]; then
  dir="$repo/.cache/gpu-benchmark"
  publish "$dir"
fi

bin="$dir/StepAudio.Telephony.Benchmarks"
[ -x "$bin" ] || { echo "error: $bin not found (publish first)" >&2; exit 1; }

# CUDA 13 runtime and cuDNN 9 for the CUDA provider (the device machine: gpu/README.md).
lib_dirs=${CUDA_LIB_DIRS:-}
for candidate in /usr/local/cuda-13*/targets/x86_64-linux/lib /usr/local/cuda/lib64 \
  /opt/torch/.venv/lib/python3*/site-packages/nvidia/cudnn/lib /usr/lib/x86_64-linux-gnu; do
  [ -d "$candidate" ] && lib_dirs="${lib_dirs:+$lib_dirs:}$candidate"
done
export LD_LIBRARY_PATH="${lib_dirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cores=$(nproc)

log "host: $cores cores; $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi (no GPU)')"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
IFS=',' read -r -a thread_counts <<<"$gpu_threads"
for threads in "${thread_counts[@]}"; do
  log "cuda, $threads inference thread(s), batches $batches, $seconds s each"
  "$bin" vad-capacity --provider cuda --strict "$strict" --threads "$threads" --batches "$batches" --seconds "$seconds" \
    --model "$dir/models/silero_vad_v5.onnx" | tee -a "$out"
done
log "cpu, $cores inference threads (one per core), batches $cpu_batches, $seconds s each"
"$bin" vad-capacity --provider cpu --threads "$cores" --batches "$cpu_batches" --seconds "$seconds" \
  --model "$dir/models/silero_vad_v5.onnx" | tee -a "$out"

# One table: per batch size, the best GPU row (over thread counts) beside the CPU row.
echo
echo "batch | GPU streams via scheduler (threads) | bare ORT streams | ratio | CPU streams, all $cores cores via scheduler"
awk '
  /^RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    b = v["batch"]; batches[b] = 1
    if (v["provider"] == "cuda") {
      if (v["scheduler_streams"] + 0 > gpu[b] + 0) { gpu[b] = v["scheduler_streams"]; thr[b] = v["threads"]; bare[b] = v["bare_ort_streams"]; ratio[b] = v["ratio"] }
    } else if (v["threads"] + 0 == cores + 0) {
      cpu[b] = v["scheduler_streams"]
    } else if (!(b in fallback)) {
      fallback[b] = v["scheduler_streams"] " (cuda asked, ran on cpu)"
    }
  }
  END {
    for (b in batches) {
      g = (b in gpu) ? gpu[b] " (" thr[b] ")" : (b in fallback ? fallback[b] : "-")
      printf "%s | %s | %s | %s | %s\n", b, g, (b in bare) ? bare[b] : "-", (b in ratio) ? ratio[b] : "-", (b in cpu) ? cpu[b] : "-"
    }
  }' cores="$cores" "$out" | sort -n
if ! grep -q "provider=cuda" "$out"; then
  echo "NOTE: CUDA was not usable on this host; every row ran on the CPU provider (see the warning above)."
fi
