#!/usr/bin/env bash
# Per-step costs of listen's and validate's hot paths, in instructions (callgrind): steady on a
# shared machine where wall-clock figures are not. (The benchmark is scripts/bench.sh.)
#   scripts/steps.sh listen     # N requests (STEPS_N, 2000) of the shared 1.3 KB body, keep-alive
#   scripts/steps.sh validate   # the first STEPS_N (20000) lines of the shared NDJSON corpus
#   SERVETEL_BIN=/tmp/old/servetel scripts/steps.sh listen    # another build, for before/after
# Prints, per request or per payload, the instructions spent inside each step's function
# (inclusive: what it calls counts), so the figures of two builds compare step by step.
# Needs valgrind (apt-get install valgrind) and a release build (its line tables name functions).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh  # $bin, $bench_dir, corpus()
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
what=${1:-listen}
corpus=$(corpus)
dir=$(mktemp -d)
trap '[[ -n ${KEEP:-} ]] && cp "$dir"/cg.out "$KEEP"; rm -rf "$dir"' EXIT

# Inclusive instructions of every function whose name matches one of the patterns, divided by N:
# one line per pattern (the first function matching it, by cost).
report() { # N OUTFILE LABEL=PATTERN...
  local n=$1 out=$2
  shift 2
  callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null >"$dir/annotated.txt"
  python3 - "$n" "$dir/annotated.txt" "$@" <<'PY'
import re, sys
n, path, steps = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
rows = []
for line in open(path):
    # `  205,024,771 (34.01%)  FILE:FUNCTION [BINARY]`; a function whose code is inlined from
    # several files has several such lines: the largest is taken as its cost.
    m = re.match(r"\s*([\d,]+)(?: \([^)]*\))?\s+(.*)$", line)
    if m and m.group(1)[0].isdigit():
        rows.append((int(m.group(1).replace(",", "")), m.group(2)))
total = next((c for c, f in rows if "PROGRAM TOTALS" in f), None)
rows = [(c, re.sub(r" \[[^\]]*\]$", "", f.split(":", 1)[-1])) for c, f in rows if "PROGRAM TOTALS" not in f]
if total:
    print(f"  {'whole process':<34} {total / n:>10,.0f} instructions per item")
for step in steps:
    label, pattern = step.split("=", 1)
    hits = [(c, f) for c, f in rows if re.search(pattern, f)]
    if hits:
        c, f = max(hits)
        print(f"  {label:<34} {c / n:>10,.0f}   ({f.strip()[:90]})")
    else:
        print(f"  {label:<34} {'-':>10}   (no function matching {pattern})")
PY
}

listen() {
  local n=${STEPS_N:-2000}
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  echo "## listen under callgrind: $n POSTs of the 1.3 KB hangup body, keep-alive, --save, pretty output to a file"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" --separate-threads=no \
    "$bin" listen --port "$port" --save "$dir/capture.ndjson" --count "$n" >"$dir/stdout" 2>"$dir/stderr" &
  local pid=$!
  python3 - "$port" "$corpus/hangup_1.json" "$n" <<'PY'
import http.client, sys, time
port, body, n = int(sys.argv[1]), open(sys.argv[2], "rb").read(), int(sys.argv[3])
for _ in range(600):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30); c.connect(); break
    except OSError:
        time.sleep(0.1)
for _ in range(n):
    c.request("POST", "/hook", body, {"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
  wait "$pid" || true
  echo "  $(grep -c . "$dir/capture.ndjson") records saved, $(grep -c 'POST /hook' "$dir/stdout") printed"
  report "$n" "$dir/cg.out" \
    "a worker's request (handle)=listen::handle::handle" \
    "  read body=http::read_body" \
    "  decode=decode::decode_request" \
    "  validate=validate::check" \
    "  record (serialize)=write_record|record_lines" \
    "  write (append)=CaptureFile::append" \
    "  answer=reply::send" \
    "  pretty (drawn)=call_summary::render" \
    "printer thread (in order)=printer::run" \
    "  whole-call block=render::calls::text" \
    "    its diagnostics=calls::diagnose::diagnose"
  allocations "$n" "$dir/cg.out"
}

# Allocations (calls into the allocator: Rust's through mimalloc, libc's malloc) per item: N FILE
allocations() {
  python3 - "$1" "$2" <<'PY'
import re, sys
n, names, cfn, calls = int(sys.argv[1]), {}, None, 0
name = re.compile(r"^cfn=\((\d+)\)(?: (.*))?$")
alloc = re.compile(r"^(mi_malloc_aligned|mi_zalloc_aligned|mi_realloc_aligned|malloc|calloc|realloc)$")
for line in open(sys.argv[2], errors="replace"):
    m = name.match(line)
    if m:
        if m.group(2): names[m.group(1)] = m.group(2)
        cfn = names.get(m.group(1), "")
    elif line.startswith("calls=") and cfn and alloc.match(cfn):
        calls += int(line[6:].split()[0])
print(f"  {'allocations':<34} {calls / n:>10,.1f} per item")
PY
}

validate() {
  local n=${STEPS_N:-20000}
  head -n "$n" "$corpus/mixed_100k.ndjson" >"$dir/part.ndjson"
  echo "## validate --format json under callgrind: the first $n lines of mixed_100k.ndjson"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" --separate-threads=no \
    "$bin" validate --format json "$dir/part.ndjson" >/dev/null 2>"$dir/stderr" || true
  report "$n" "$dir/cg.out" \
    "read lines (reader thread)=input::read_ndjson" \
    "parse (classify)=input::Item::classify" \
    "check (detect, rules)=validate::validate$|validate::check_mapped" \
    "print in order (main thread)=cmd::validate::print_in_order"
  allocations "$n" "$dir/cg.out"
  # The parse floor of ../shared/bench (serde_json::Value per line, nothing else), when built.
  local floor
  for floor in "${BENCH_DIR:-../shared/bench}/limit-parse/target/release/limit-parse" target/limit-parse/release/limit-parse; do
    [[ -x $floor ]] && break
  done
  if [[ -x $floor ]]; then
    echo "## the parse floor (limit-parse) under callgrind, the same lines"
    valgrind --tool=callgrind --callgrind-out-file="$dir/floor.out" "$floor" "$dir/part.ndjson" >/dev/null 2>&1
    report "$n" "$dir/floor.out"
    allocations "$n" "$dir/floor.out"
  fi
}

case $what in
  listen) listen ;;
  validate) validate ;;
  *) echo "unknown part: $what (listen, validate)" >&2; exit 2 ;;
esac
