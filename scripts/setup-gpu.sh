#!/usr/bin/env bash
# Places a CUDA-enabled ONNX Runtime (1.29.0) in <repo>/native/onnxruntime-gpu/ for the VAD's CUDA execution
# provider. The NuGet feed this project reaches has only the CPU build; official natives of the CUDA build are on npm
# (see /work/shared/gpu/README.md): the core library from onnxruntime-node, the CUDA provider from asus4's Unity
# package. Both must be the same ORT version; the Unity package's own core is CPU-only and must NOT be used.
#
# Then run the gateway with
#   --Vad:ExecutionProvider=cuda --Vad:NativeLibraryDirectory=<repo>/native/onnxruntime-gpu
# and CUDA 13 + cuDNN on LD_LIBRARY_PATH (the provider links libcublas/libcublasLt/libcudart .so.13).
#
# Caveat (checked 2026-11-23): the managed Microsoft.ML.OnnxRuntime 1.31.1 asks the native library for C API 31, which
# a 1.29 core does not offer ("The requested API version [31] is not available"). The gateway checks the version
# before binding the directory and falls back to the CPU build with one warning (or refuses, with
# Vad:FailIfProviderUnavailable); CUDA needs a managed package and a native pair of the same ORT version.
# Idempotent: does nothing when every file is already there with the expected sha256.
set -euo pipefail

readonly CORE_PACKAGE='onnxruntime-node@1.29.0'
readonly CORE_PATH='package/bin/napi-v6/linux/x64/libonnxruntime.so.1'
readonly CORE_SHA256='89688f5cf51c7e31befbb7b9101bc027799009b18d1baa9a5b1146a72e69538d'
readonly PROVIDER_PACKAGE='com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9'
readonly PROVIDER_DIR='package/Plugins/Linux/x64'
readonly CUDA_SHA256='56cf3254b118ad837ccc4ed8f6d1b23504bbf7ef91b34cbc0b289cb7f10b3037'
readonly SHARED_SHA256='c6a12593396095f5670160e284c35d1700b7708cf3037b7042e2a5200ccae772'

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${repo_root}/native/onnxruntime-gpu"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

installed() {
  [[ -f "${target}/libonnxruntime.so.1" && "$(sha256_of "${target}/libonnxruntime.so.1")" == "${CORE_SHA256}" ]] &&
  [[ -f "${target}/libonnxruntime_providers_cuda.so" && "$(sha256_of "${target}/libonnxruntime_providers_cuda.so")" == "${CUDA_SHA256}" ]] &&
  [[ -f "${target}/libonnxruntime_providers_shared.so" && "$(sha256_of "${target}/libonnxruntime_providers_shared.so")" == "${SHARED_SHA256}" ]]
}

if installed; then
  echo "setup-gpu: ${target} is up to date"
  exit 0
fi

for tool in npm tar sha256sum; do
  command -v "${tool}" >/dev/null 2>&1 || { echo "setup-gpu: '${tool}' is required but not installed" >&2; exit 1; }
done

work_dir="$(mktemp -d)"
trap 'rm -rf "${work_dir}"' EXIT

fetch() { # package -> tarball name
  local name
  if ! name="$(cd "${work_dir}" && npm pack --silent "$1" | tail -n 1)"; then
    echo "setup-gpu: 'npm pack $1' failed (is the npm registry reachable?)" >&2
    exit 1
  fi
  printf '%s' "${name}"
}

check() { # file expected-sha256
  local actual
  actual="$(sha256_of "$1")"
  if [[ "${actual}" != "$2" ]]; then
    echo "setup-gpu: $(basename "$1") has sha256 ${actual}, expected $2; refusing to install it" >&2
    exit 1
  fi
}

echo "setup-gpu: fetching ${CORE_PACKAGE} (~112 MB) and ${PROVIDER_PACKAGE} (~180 MB) with npm pack"
core_tgz="$(fetch "${CORE_PACKAGE}")"
provider_tgz="$(fetch "${PROVIDER_PACKAGE}")"
mkdir -p "${work_dir}/core" "${work_dir}/provider"
tar -xzf "${work_dir}/${core_tgz}" -C "${work_dir}/core" "${CORE_PATH}"
tar -xzf "${work_dir}/${provider_tgz}" -C "${work_dir}/provider" \
  "${PROVIDER_DIR}/libonnxruntime_providers_cuda.so" "${PROVIDER_DIR}/libonnxruntime_providers_shared.so"

staged="${work_dir}/stage"
mkdir -p "${staged}"
cp "${work_dir}/core/${CORE_PATH}" "${staged}/libonnxruntime.so.1"
cp "${work_dir}/provider/${PROVIDER_DIR}/libonnxruntime_providers_cuda.so" "${staged}/"
cp "${work_dir}/provider/${PROVIDER_DIR}/libonnxruntime_providers_shared.so" "${staged}/"
check "${staged}/libonnxruntime.so.1" "${CORE_SHA256}"
check "${staged}/libonnxruntime_providers_cuda.so" "${CUDA_SHA256}"
check "${staged}/libonnxruntime_providers_shared.so" "${SHARED_SHA256}"
ln -sf libonnxruntime.so.1 "${staged}/libonnxruntime.so"

# Replace the directory as a whole so that a failed run never leaves a mixed pair of versions behind.
mkdir -p "$(dirname "${target}")"
rm -rf "${target}.new"
mv "${staged}" "${target}.new"
rm -rf "${target}"
mv "${target}.new" "${target}"
echo "setup-gpu: installed into ${target}"
echo "setup-gpu: run the gateway with --Vad:ExecutionProvider=cuda --Vad:NativeLibraryDirectory=${target}"
