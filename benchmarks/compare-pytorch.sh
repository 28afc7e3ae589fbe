#!/usr/bin/env bash
# The harness's training step beside the PyTorch peer's, in one session with the rounds alternated
# (harness, peer, harness, peer, ...), printed as one table: full fine-tuning and LoRA r8 step times,
# MatMul GFLOP/s, peer/harness, each side's full-step FLOP/s over its own MatMul rate, and LoRA step
# over full step. Both sides' figures halve when anything else runs on the machine: run it on a
# quiet machine and compare only figures of one run.
#
#   benchmarks/compare-pytorch.sh           # 2 rounds under the benchmarks' protocol (about 15 min on 2 cores)
#   QUICK=1 benchmarks/compare-pytorch.sh   # 1 fork, fewer iterations and peer steps (about 6 min): a smoke run
#   ROUNDS=3 benchmarks/compare-pytorch.sh  # more rounds
#
# The peer is ../shared/peers/pytorch-bench beside the checkout (PEER_DIR to name another folder);
# without it this says so and exits 0. It is read-only where it lies, so it is copied under the
# cache and run there: its run.sh builds it (Maven Central, into M2, default under the cache) and
# runs its JVM offline (-Dai.djl.offline=true, inside `unshare -n` where permitted). Logs and the
# table go to $HARNESS_CACHE/compare-pytorch/<UTC stamp>/.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
peer_src="${PEER_DIR:-$root/../shared/peers/pytorch-bench}"
if [ ! -f "$peer_src/run.sh" ]; then
  echo "compare-pytorch: SKIP: no PyTorch peer at $peer_src (its run.sh is missing; PEER_DIR names another folder)"
  exit 0
fi
if ! command -v python3 > /dev/null; then
  echo "compare-pytorch: SKIP: the peer's run.sh needs python3 to sum up its runs, and there is none on PATH"
  exit 0
fi

cache="${HARNESS_CACHE:-$root/.cache}"
work="$cache/compare-pytorch"
out="$work/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
rm -rf "$work/peer"
cp -r "$peer_src" "$work/peer"
chmod -R u+w "$work/peer"
# The peer's own Maven repository and DJL cache; an existing M2 folder keeps run.sh from seeding it
# with a copy of the whole ~/.m2.
export M2="${M2:-$work/peer-m2}" DJL_CACHE="${DJL_CACHE:-$work/peer-djl}"
mkdir -p "$M2"

echo "compare-pytorch: building the benchmarks ..."
(cd "$root" && mvn -B -ntp -q -pl harness/bench -am package -DskipTests) > "$out/build.log" 2>&1 \
  || { tail -n 30 "$out/build.log" >&2; echo "compare-pytorch: the build failed; log: $out/build.log" >&2; exit 1; }

quick=()
if [ "${QUICK:-0}" = 1 ]; then
  quick=(--quick)
fi
# JMH's forks inherit these JVM options: caches as the launcher keeps them, offline DJL
ja=(-Xmx4g -Dorg.bytedeco.javacpp.cachedir="$cache/javacpp" -DDJL_CACHE_DIR="$cache/djl" -Djna.tmpdir="$cache/jna"
  -Duser.home="$cache/home" -Dai.djl.offline=true)
cd "$root"
OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=2 java "${ja[@]}" \
  -cp "harness/bench/target/classes:$(cat harness/bench/target/classpath.txt)" \
  org.peftharness.benchmarks.PeerComparison --peer "$work/peer" --out "$out" --rounds "${ROUNDS:-2}" "${quick[@]}" \
  | tee "$out/table.txt"
