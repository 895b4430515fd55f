#!/usr/bin/env bash
# Fetches the Silero VAD v5 ONNX model into <repo>/models/silero_vad_v5.onnx.
# The model ships inside the npm package @ricky0123/vad-web (MIT); npm is reachable from CI, GitHub is not.
# Idempotent: does nothing when the file is already there with the expected sha256.
set -euo pipefail

readonly PACKAGE='@ricky0123/vad-web@0.0.31'
readonly PACKAGE_PATH='package/dist/silero_vad_v5.onnx'
readonly EXPECTED_SHA256='2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f'

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${repo_root}/models"
target="${target_dir}/silero_vad_v5.onnx"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "${target}" && "$(sha256_of "${target}")" == "${EXPECTED_SHA256}" ]]; then
  exit 0
fi

for tool in npm tar sha256sum; do
  command -v "${tool}" >/dev/null 2>&1 || { echo "fetch-vad-model: '${tool}' is required but not installed" >&2; exit 1; }
done

work_dir="$(mktemp -d)"
staging=""
trap 'rm -rf "${work_dir}"; [[ -z "${staging}" ]] || rm -f "${staging}"' EXIT

if ! tarball="$(cd "${work_dir}" && npm pack --silent "${PACKAGE}" | tail -n 1)"; then
  echo "fetch-vad-model: 'npm pack ${PACKAGE}' failed (is the npm registry reachable?)" >&2
  exit 1
fi
if [[ -z "${tarball}" || ! -f "${work_dir}/${tarball}" ]]; then
  echo "fetch-vad-model: 'npm pack ${PACKAGE}' did not produce a tarball" >&2
  exit 1
fi

tar -xzf "${work_dir}/${tarball}" -C "${work_dir}" "${PACKAGE_PATH}"

actual="$(sha256_of "${work_dir}/${PACKAGE_PATH}")"
if [[ "${actual}" != "${EXPECTED_SHA256}" ]]; then
  echo "fetch-vad-model: sha256 mismatch for ${PACKAGE_PATH} from ${PACKAGE}: expected ${EXPECTED_SHA256}, got ${actual}" >&2
  exit 1
fi

mkdir -p "${target_dir}"
# Copy next to the target first so the final rename stays on one filesystem and is atomic.
staging="$(mktemp "${target_dir}/.silero_vad_v5.onnx.XXXXXX")"
cp "${work_dir}/${PACKAGE_PATH}" "${staging}"
chmod 0644 "${staging}"
mv -f "${staging}" "${target}"
staging=""
echo "Silero VAD v5 model is at ${target}"
