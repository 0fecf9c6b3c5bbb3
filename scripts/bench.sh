#!/usr/bin/env bash
# servetel's own benchmark: prints the figures SPEC section 8 sets targets for.
#   scripts/bench.sh            # everything measured so far
#   scripts/bench.sh startup    # one part
# Uses hyperfine when it is installed (apt-get install hyperfine), else a plain timing loop.
# Side-by-side runs against the peers: ../shared/bench (SERVETEL=target/release/servetel …).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bin=target/release/servetel
what=${1:-all}

startup() {
  echo "## start-up: servetel --version (target: under 10 ms)"
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 20 --runs 300 "$bin --version" 2>/dev/null | grep -E 'Time|Range'
  else
    python3 - "$bin" <<'PY'
import subprocess, sys, time, statistics
bin = sys.argv[1]
for _ in range(20):
    subprocess.run([bin, "--version"], stdout=subprocess.DEVNULL)
runs = []
for _ in range(300):
    t = time.perf_counter()
    subprocess.run([bin, "--version"], stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
runs.sort()
print(f"  {len(runs)} runs: median {statistics.median(runs):.2f} ms, p90 {runs[int(len(runs)*0.9)]:.2f} ms, max {runs[-1]:.2f} ms (includes python's fork/exec)")
PY
  fi
}

case $what in
  startup) startup ;;
  all) startup ;;
  *) echo "unknown part: $what (startup, all)" >&2; exit 2 ;;
esac
