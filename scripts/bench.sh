#!/usr/bin/env bash
# servetel's own benchmark: prints the figures SPEC section 8 sets targets for.
#   scripts/bench.sh            # everything measured so far
#   scripts/bench.sh validate   # one part: startup, validate
# Needs hyperfine (apt-get install hyperfine) and python3; start-up falls back to a python timing loop.
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

# The shared benchmark corpus (../shared/bench/gen_corpus.py, seed 42), generated once into target/.
corpus() {
  local dir=target/bench-corpus
  if [[ ! -f $dir/corpus/manifest.json ]]; then
    mkdir -p "$dir"
    cp ../shared/bench/gen_corpus.py "$dir/"
    (cd "$dir" && python3 gen_corpus.py >/dev/null)
  fi
  echo "$dir/corpus"
}

# payloads/s from a hyperfine JSON export: PAYLOADS FILE
rate() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[2]))["results"][0]; m=r["median"]; n=len(r["times"]); print(f"  median {m*1000:.0f} ms over {n} runs: {int(sys.argv[1])/m:,.0f} payloads/s")' "$1" "$2"
}

validate() {
  local c; c=$(corpus)
  echo "## validate, NDJSON: 100,000 payloads of ~1.3 KB, 5% invalid (target: >= 250,000 payloads/s)"
  hyperfine -N -i --warmup 1 --runs 5 --export-json target/bench-nd.json \
    "$bin validate --format json $c/mixed_100k.ndjson" >/dev/null 2>&1
  rate 100000 target/bench-nd.json
  echo "## validate, a directory of 10,000 pretty-printed files (target: >= 3x ajv-cli, ~71,000 payloads/s)"
  hyperfine -N -i --warmup 1 --runs 5 --export-json target/bench-dir.json \
    "$bin validate --format json $c/dir_10k" >/dev/null 2>&1
  rate 10000 target/bench-dir.json
  echo "## validate, peak memory on ~1.1 GB of NDJSON (target: under 50 MiB)"
  local big=target/bench-corpus/big.ndjson
  if [[ ! -f $big ]]; then
    for _ in $(seq 13); do cat "$c/mixed_100k.ndjson"; done > "$big"
  fi
  /usr/bin/time -v "$bin" validate -q --format json "$big" 2>&1 >/dev/null \
    | awk -F': ' '/Maximum resident/ {rss=$2} /Elapsed/ {wall=$2} END {printf "  peak RSS %.1f MiB, %s wall for 1,300,000 payloads\n", rss/1024, wall}'
}

case $what in
  startup) startup ;;
  validate) validate ;;
  all) startup; validate ;;
  *) echo "unknown part: $what (startup, validate, all)" >&2; exit 2 ;;
esac
