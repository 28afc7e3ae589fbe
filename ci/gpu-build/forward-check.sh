#!/usr/bin/env bash
# The GPU build on a machine without a GPU. Builds the harness with -Pgpu (TensorFlow 2.18's CUDA
# library, about 530 MB from Maven Central) in a copy of the sources under the cache, so that the CPU
# build's jars the rest of CI runs stay as they are; runs `inspect forward` with it; and checks that
#   - stderr is the harness's one line saying it runs on the CPU, and none of CUDA's start-up errors;
#   - the forward pass is the CPU build's: the same tokens, every hidden value within TOLERANCE.
# Both builds run TensorFlow 2.18's own CPU kernels (the CUDA build adds GPU kernels, it does not
# change the CPU ones), so the numbers are expected to be equal; on the CI machine class they are
# byte-identical. The tolerance (1e-5 absolute, about 100 float32 ulps at the values' scale of 1)
# leaves room for a CPU where the two libraries pick differently ordered sums, and no more.
#
#   ci/gpu-build/forward-check.sh CPU_FORWARD_JSON TEXT     (CPU_FORWARD_JSON: the CPU build's
#                                                            `inspect forward --model minilm --text TEXT`)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cpu_json="$1"
text="$2"
tolerance="${TOLERANCE:-1e-5}"
cache="${HARNESS_CACHE:-$root/.cache}"
tree="$cache/gpu-build"
start=$SECONDS
if command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1; then
  echo "gpu build: SKIP: this machine has a GPU; the check is of the GPU build falling back to the CPU"
  exit 0
fi

rm -rf "$tree"
mkdir -p "$tree"
# the sources as checked out, without build outputs, caches or results
(cd "$root" && tar --exclude=./.git --exclude=./.cache --exclude=./runs --exclude=./data --exclude='*/target' -cf - .) \
  | tar -xf - -C "$tree"
if ! (cd "$tree" && mvn -B -ntp -Pgpu -DskipTests package -pl harness/cli -am) > "$cache/gpu-build.log" 2>&1; then
  tail -n 30 "$cache/gpu-build.log" >&2
  echo "gpu build: FAIL: mvn -Pgpu package failed; full log: $cache/gpu-build.log" >&2
  exit 1
fi
built=$SECONDS

gpu_json="$cache/forward-gpu.json"
gpu_err="$cache/forward-gpu.err"
HARNESS_NO_BUILD=1 HARNESS_CACHE="$cache" "$tree/bin/harness" inspect forward --model minilm --text "$text" \
  > "$gpu_json" 2> "$gpu_err"
ran=$SECONDS

fail() {
  echo "gpu build: FAIL: $*" >&2
  echo "--- its stderr:" >&2
  cat "$gpu_err" >&2
  exit 1
}
notice='^harness: the GPU build of TensorFlow [0-9.]+ is running on the CPU: no CUDA device found'
[ "$(grep -c -E "$notice" "$gpu_err")" = 1 ] || fail "stderr lacks the one line saying it runs on the CPU"
[ "$(grep -c -v -E "$notice" "$gpu_err")" = 0 ] || fail "stderr has more than that line (CUDA's start-up errors not hidden?)"

# Token by token: keys, brackets and ids equal; numbers within the tolerance.
verdict="$(awk -v tol="$tolerance" '
  function tokens(file, out,   text, n) {
    text = ""
    while ((getline line < file) > 0) text = text line
    gsub(/[][{}:,]/, " & ", text)
    return split(text, out, /[ \t]+/)
  }
  BEGIN {
    n = tokens(ARGV[1], a); m = tokens(ARGV[2], b)
    if (n != m) { print "FAIL: " n " tokens against " m; exit }
    numbers = 0; worst = 0
    for (i = 1; i <= n; i++) {
      if (a[i] == b[i]) { if (a[i] ~ /^-?[0-9]/) numbers++; continue }
      if (a[i] !~ /^-?[0-9]/ || b[i] !~ /^-?[0-9]/) { print "FAIL: token " i ": " a[i] " against " b[i]; exit }
      numbers++
      d = a[i] - b[i]; if (d < 0) d = -d
      if (d > worst) worst = d
    }
    if (worst > tol) { print "FAIL: largest difference " worst " > " tol; exit }
    printf "OK: %d numbers, largest difference %g (tolerance %s)\n", numbers, worst, tol
  }' "$cpu_json" "$gpu_json")"
case "$verdict" in
  OK:*) ;;
  *) fail "the forward pass differs from the CPU build's: $verdict" ;;
esac
identical=""
cmp -s "$cpu_json" "$gpu_json" && identical=", byte-identical"
echo "gpu build: PASS: $(head -n 1 "$gpu_err")"
echo "gpu build: PASS: inspect forward equals the CPU build's (${verdict#OK: }$identical)"
echo "gpu build: took $((SECONDS - start)) s (build $((built - start)) s, first run with extraction $((ran - built)) s)"
# the copy holds a second 530 MB native jar in its lib/; the extracted library stays in the cache
rm -rf "$tree"
