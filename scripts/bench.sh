#!/usr/bin/env bash
# servetel's own benchmark: prints the figures SPEC section 8 sets targets for.
#   scripts/bench.sh            # everything measured so far
#   scripts/bench.sh validate   # one part: startup, validate, fire, listen, calls
#   SERVETEL_BIN=/tmp/old/servetel scripts/bench.sh listen   # another build, for before/after figures
# Needs hyperfine and wrk (apt-get install hyperfine wrk) and python3; start-up falls back to a python timing loop.
# Side-by-side runs against the peers: ../shared/bench (SERVETEL=target/release/servetel …).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh  # $bin, $bench_dir, corpus()
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

# payloads/s from a hyperfine JSON export: PAYLOADS FILE
rate() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[2]))["results"][0]; m=r["median"]; n=len(r["times"]); print(f"  median {m*1000:.0f} ms over {n} runs: {int(sys.argv[1])/m:,.0f} payloads/s")' "$1" "$2"
}

# The parse-only floor of ../shared/bench/limit-parse (serde_json::Value per payload, no schema),
# built once into target/ when the harness has no build of its own; empty when it cannot be.
limit_parse() {
  local built=$bench_dir/limit-parse/target/release/limit-parse own=target/limit-parse/release/limit-parse
  if [[ -x $built ]]; then echo "$built"; return; fi
  if [[ ! -x $own && -f $bench_dir/limit-parse/Cargo.toml ]]; then
    CARGO_TARGET_DIR=target/limit-parse cargo build --release -q \
      --manifest-path "$bench_dir/limit-parse/Cargo.toml" >&2 || true
  fi
  [[ -x $own ]] && echo "$own"
}

# `  NAME  RATE payloads/s  (median of N runs)` for each command of a hyperfine JSON export, then
# servetel's rate as a ratio of each peer's: PAYLOADS FILE
rates() {
  python3 - "$1" "$2" <<'PY'
import json, sys
n, runs = int(sys.argv[1]), json.load(open(sys.argv[2]))["results"]
rate = {r["command"]: n / r["median"] for r in runs}
for r in runs:
    print(f"  {r['command'][:100]:<100} {rate[r['command']]:>9,.0f} payloads/s  (median of {len(r['times'])})")
ours = runs[0]["command"]  # servetel comes first, its peers after it
for r in runs:
    c = r["command"]
    if ours and c != ours:
        peer = "parse floor (limit-parse)" if "limit-parse" in c else ("ajv-cli" if "ajv " in c else ("node+ajv" if "node " in c else c.split(" ", 1)[0]))
        print(f"  servetel / {peer}: {rate[ours] / rate[c]:.2f}x")
PY
}

validate() {
  local c; c=$(corpus)
  local floor; floor=$(limit_parse)
  local modules=$bench_dir/node_modules
  echo "## validate, NDJSON: 100,000 payloads of ~1.3 KB, 5% invalid (target: >= 0.9 of the parse floor)"
  local nd=("$bin validate --format json $c/mixed_100k.ndjson")
  if [[ -n $floor ]]; then nd+=("$floor $c/mixed_100k.ndjson")
  else echo "  parse floor: skipped (no $bench_dir/limit-parse to build)"; fi
  if command -v node >/dev/null && [[ -d $modules/ajv ]]; then
    nd+=("node $bench_dir/peers/ndjson_validate.js $bench_dir/schemas/servetel.schema.json $c/mixed_100k.ndjson")
  else echo "  node+ajv: skipped (node, or ajv in $modules: npm ci there, or BENCH_DIR=a copy that has it)"; fi
  hyperfine -N -i --warmup 1 --runs 5 --export-json target/bench-nd.json "${nd[@]}" >/dev/null 2>&1
  rates 100000 target/bench-nd.json
  echo "## validate, a directory of 10,000 pretty-printed files (target: >= 3x ajv-cli)"
  local dir=("$bin validate --format json $c/dir_10k")
  [[ -n $floor ]] && dir+=("$floor $c/dir_10k")
  if [[ -x $modules/.bin/ajv ]]; then
    # ajv-cli expands the glob itself, and finds ajv-formats from the harness's folder.
    dir+=("$modules/.bin/ajv validate --spec=draft2020 --allow-union-types -c $modules/ajv-formats -s $bench_dir/schemas/servetel.schema.json -d $c/dir_10k/*.json")
  else echo "  ajv-cli: skipped (not in $modules/.bin)"; fi
  hyperfine -N -i --warmup 1 --runs 5 --export-json target/bench-dir.json "${dir[@]}" >/dev/null 2>&1
  rates 10000 target/bench-dir.json
  echo "## validate, peak memory: 100,000 payloads and 1,300,000 (~1.1 GB) of NDJSON (target: flat, under 50 MiB)"
  local big=target/bench-corpus/big.ndjson
  if [[ ! -f $big ]]; then
    for _ in $(seq 13); do cat "$c/mixed_100k.ndjson"; done > "$big"
  fi
  for f in "$c/mixed_100k.ndjson" "$big"; do
    /usr/bin/time -v "$bin" validate -q --format json "$f" 2>&1 >/dev/null \
      | awk -F': ' -v n="$(wc -l <"$f")" '/Maximum resident/ {rss=$2} /Elapsed/ {wall=$2} END {printf "  %9d payloads: peak RSS %.1f MiB, %s wall\n", n, rss/1024, wall}' \
      || true  # validate exits 1: the corpus has invalid payloads
  done
}

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits (up to 5 s) until something accepts connections on 127.0.0.1:PORT.
wait_port() { for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; }

# The middle of three numbers, one per line.
median() { sort -n | sed -n 2p; }

# Seconds a command takes (wall clock); its output is discarded.
wall() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.3f}')"
}

# fire/replay against a local sink that answers 200 at once: nginx rendered from
# ../shared/bench/peers/nginx_limit.conf.in (apt-get install nginx-light), started on a free port
# and stopped on exit. At 1, 16 and 64 connections, oha (cargo install oha) sends the shared body
# and servetel fires distinct calls and replays distinct payloads; each ratio is servetel's
# events/s over oha's from the same run. Wall time per process, start-up included; median of
# REPEATS (3). Without oha, servetel's figures alone.
fire() {
  local c; c=$(corpus)
  echo "## fire / replay vs oha, POST 1.3 KB JSON to a local nginx sink (target: >= 0.9x oha at -c 16 and -c 64, >= 1.0x at -c 1)"
  if ! command -v nginx >/dev/null; then
    echo "  skipped: nginx is not installed (apt-get install nginx-light): no sink to send to"
    return
  fi
  local has_oha=1
  command -v oha >/dev/null || { has_oha=0; echo "  oha is not installed (cargo install oha): servetel's figures alone, no ratio"; }
  local dir; dir=$(mktemp -d)
  local port; port=$(free_port)
  sed -e "s|@PORT@|$port|g" -e "s|@PREFIX@|$dir|g" -e "s|@ACCESS_LOG@|off|g" \
    "$bench_dir/peers/nginx_limit.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>"$dir/stderr" &
  nginx_pid=$!
  trap 'kill -QUIT "$nginx_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
  wait_port "$port"
  local url="http://127.0.0.1:$port/hook" repeats=${REPEATS:-3}
  local big=target/bench-corpus/hangup_200k.ndjson
  [[ -f $big ]] || for _ in $(seq 10); do cat "$c/hangup_20k.ndjson"; done >"$big"
  # events/s of one command: N and the command; "-" when it did not exit 0 (not every event 2xx).
  ev_s() {
    local n=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    if ! "$@" >/dev/null 2>"$dir/last.err"; then echo "-"; return; fi
    t1=$(date +%s.%N)
    python3 -c "print(f'{$n / ($t1 - $t0):.0f}')"
  }
  med() { sort -n | awk '{v[NR] = $1} END {print (NR && v[1] != "-") ? v[int((NR + 1) / 2)] : "-"}'; }
  ratio() { python3 -c "import sys; a, b = sys.argv[1:]; print('-' if '-' in (a, b) else f'{float(a) / float(b):.2f}x')" "$1" "$2"; }
  printf '  %-4s %8s %11s %11s %9s %11s %11s\n' "-c" events "oha ev/s" "fire ev/s" "fire/oha" "replay ev/s" "replay/oha"
  local conns
  for conns in 1 16 64; do
    local n=200000 file=$big
    if [[ $conns == 1 ]]; then n=20000; file=$c/hangup_20k.ndjson; fi
    local o=- f r
    if ((has_oha)); then
      o=$(for _ in $(seq "$repeats"); do ev_s $n oha -n $n -c "$conns" -m POST -T application/json -D "$c/hangup_1.json" --no-tui "$url"; done | med)
    fi
    f=$(for _ in $(seq "$repeats"); do ev_s $n "$bin" fire hangup --to "$url" --count $n --concurrency "$conns" --format json -q; done | med)
    r=$(for _ in $(seq "$repeats"); do ev_s $n "$bin" replay "$file" --to "$url" --concurrency "$conns" --format json -q; done | med)
    printf '  %-4s %8s %11s %11s %9s %11s %11s\n' "$conns" "$n" "$o" "$f" "$(ratio "$f" "$o")" "$r" "$(ratio "$r" "$o")"
  done
  echo "  (oha: one body again and again; fire: distinct synthesized calls; replay: distinct recorded payloads, NDJSON; --format json to /dev/null)"
  kill -QUIT "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  trap - EXIT
  rm -rf "$dir"
}

# listen under wrk on loopback (apt-get install wrk): the shared body POSTed to /hook, --save on and
# the pretty output going to a file, keep-alive (16 connections), 64 keep-alive connections (more
# than tiny_http's pool starts with) and one request per connection (4 at once). node's listener
# (../shared/bench/peers/node_listener.js, pretty-printing each event to its stdout) runs beside it
# when node is installed, alternating with servetel run by run, and each line gives servetel's
# req/s as a ratio of node's from the same run. Per peer: median req/s of REPEATS (3) runs of
# DURATION (5) s, the median p99, the server's CPU per 1,000 requests, lost records (2xx answers
# without a record: servetel's capture file, node's printed `---` headers) and errors, summed.
listen() {
  local c; c=$(corpus)
  echo "## listen: POST 1.3 KB JSON, --save on, pretty output to a file (target: >= 1.2x node:http, zero lost, p99 under 1 ms)"
  if ! command -v wrk >/dev/null; then
    echo "  skipped: wrk is not installed (apt-get install wrk)"
    return
  fi
  local duration=${DURATION:-5} repeats=${REPEATS:-3}
  local peers="servetel"
  if command -v node >/dev/null && [[ -f $bench_dir/peers/node_listener.js ]]; then
    peers="node servetel"
  else
    echo "  node:http peer: skipped (node, or $bench_dir/peers/node_listener.js, is missing): no ratios"
  fi
  local runs; runs=$(mktemp)
  for scenario in "ka16 16 0" "ka64 64 0" "close4 4 1"; do
    read -r id conns close <<<"$scenario"
    for _ in $(seq "$repeats"); do
      for peer in $peers; do
        local dir; dir=$(mktemp -d)
        local port; port=$(free_port)
        if [[ $peer == node ]]; then
          node "$bench_dir/peers/node_listener.js" "$port" >"$dir/stdout" 2>"$dir/stderr" &
        else
          "$bin" listen --port "$port" --save "$dir/capture.ndjson" >"$dir/stdout" 2>"$dir/stderr" &
        fi
        local pid=$!
        wait_port "$port"
        local cpu0; cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        BODY_FILE="$c/hangup_1.json" CONN_CLOSE=$close wrk -t2 -c"$conns" -d"${duration}s" --timeout 2s \
          -s "$bench_dir/wrk_post.lua" "http://127.0.0.1:$port/hook" >"$dir/wrk.txt"
        local cpu1; cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        kill -INT "$pid"; wait "$pid" || true  # servetel drains its printout before it ends
        local recorded
        if [[ $peer == node ]]; then recorded=$(grep -c '^--- ' "$dir/stdout" || true)
        else recorded=$(grep -c . "$dir/capture.ndjson" || true); fi
        python3 - "$dir/wrk.txt" "$recorded" "$cpu0" "$cpu1" "$peer" "$id" >>"$runs" <<'PY'
import json, sys
w = json.loads(next(l for l in open(sys.argv[1]) if l.startswith("WRKJSON "))[8:])
recorded, cpu = int(sys.argv[2]), (int(sys.argv[4]) - int(sys.argv[3])) * 10
ok = w["requests"] - w["err_status"]
errors = sum(v for k, v in w.items() if k.startswith("err_"))
print(json.dumps({"peer": sys.argv[5], "scenario": sys.argv[6], "rps": w["requests"] / w["duration_us"] * 1e6,
                  "p99_ms": w["p99_us"] / 1e3, "cpu_per_1k": cpu * 1000 / max(1, w["requests"]),
                  "lost": max(0, ok - recorded), "errors": errors}))
PY
        rm -rf "$dir"
      done
    done
  done
  python3 - "$runs" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
labels = {"ka16": "keep-alive, 16 connections", "ka64": "keep-alive, 64 connections", "close4": "Connection: close, 4 at once"}
for sc, label in labels.items():
    by = {}
    for r in runs:
        if r["scenario"] == sc:
            by.setdefault(r["peer"], []).append(r)
    cells = {}
    for peer, rs in by.items():
        rps, p99, cpu = (statistics.median(r[k] for r in rs) for k in ("rps", "p99_ms", "cpu_per_1k"))
        cells[peer] = rps
        print(f"  {label:<30} {peer:<8} {rps:>8,.0f} req/s  p99 {p99:5.2f} ms  {cpu:4.0f} CPU ms/1k req  "
              f"lost {sum(r['lost'] for r in rs)}  errors {sum(r['errors'] for r in rs)}")
    if "node" in cells and "servetel" in cells:
        print(f"  {label:<30} servetel / node:http = {cells['servetel'] / cells['node']:.2f}x (same run)")
PY
  rm -f "$runs"
}

# calls over capture records of 200,000 calls (1,000,000 records: inbound-answered, one call
# starting every second, each event arriving 50 ms after the platform sends it, calls interleaved
# by arrival), built once into target/ from fire's dry run (CALLS=N for another size). Peak RSS on
# the first tenth of the records and on all of them: memory follows the calls open at once (a few
# hundred), not the file.
calls() {
  local n=${CALLS:-200000} dir=target/bench-corpus
  local big=$dir/calls_$n.ndjson small=$dir/calls_${n}_tenth.ndjson
  echo "## calls: $((n * 5)) capture records of $n calls (target: peak RSS that does not grow with the file)"
  if [[ ! -f $big ]]; then
    mkdir -p "$dir"
    cat >"$dir/gen_calls.py" <<'PY'
# Capture records of CALLS synthetic calls as `listen --save` writes them, one call starting every
# second, each event arriving 50 ms after the moment the platform sends it, calls interleaved by
# arrival. Reads `servetel fire --scenario … --count N --dry-run --format json` on stdin.
import datetime, heapq, json, re, sys

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
FMT = "%Y-%m-%d %H:%M:%S"
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))

def shift(v, secs, key=None):
    if isinstance(v, dict):
        out = {k: shift(x, secs, k) for k, x in v.items()}
        if "start_stamp" in out and ("start_date" in out or "start_time" in out):
            d, t = out["start_stamp"].split(" ")
            if "start_date" in out: out["start_date"] = d
            if "start_time" in out: out["start_time"] = t
        return out
    if isinstance(v, list):
        return [shift(x, secs) for x in v]
    if isinstance(v, str) and STAMP.match(v):
        return (datetime.datetime.strptime(v, FMT) + datetime.timedelta(seconds=secs)).strftime(FMT)
    if key == "time":
        if isinstance(v, (int, float)):
            return v + secs
        if isinstance(v, str) and v.isdigit():
            return str(int(v) + secs)
    return v

def rfc3339(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}+00:00"

def main():
    out = sys.stdout
    heap, seq, call, at, base, last_id = [], 0, -1, 0, None, None
    for line in sys.stdin:
        r = json.loads(line)
        body = json.loads(r["body"])
        if r["call_id"] != last_id:
            call += 1
            last_id = r["call_id"]
            if base is None:
                start = datetime.datetime.strptime(body["start_stamp"], FMT).replace(tzinfo=IST)
                base = int(start.timestamp() * 1000)
            at = base + call * 1000
            # Everything arriving before this call starts is final: write it.
            while heap and heap[0][0] < at:
                ms, n, text = heapq.heappop(heap)
                seq += 1
                out.write(text.replace('"seq":0,', f'"seq":{seq},', 1).replace("@AT@", rfc3339(ms), 1))
        at += r["wait_ms"]
        body = shift(body, call)
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        record = {"seq": 0, "received_at": "@AT@", "remote_addr": "127.0.0.1:50000", "method": "POST",
                  "path": "/hook", "query": "", "headers": r["headers"], "body": text,
                  "payload": None, "trigger": r["trigger"], "verdict": None,
                  "response": {"status": 200, "delay_ms": 0}}
        heapq.heappush(heap, (at + 50, r["seq"], json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n"))
    while heap:
        ms, n, text = heapq.heappop(heap)
        seq += 1
        out.write(text.replace('"seq":0,', f'"seq":{seq},', 1).replace("@AT@", rfc3339(ms), 1))

main()
PY
    "$bin" fire --scenario inbound-answered --count "$n" --to http://127.0.0.1:9/hook --dry-run --format json \
      | python3 "$dir/gen_calls.py" >"$big.tmp"
    mv "$big.tmp" "$big"
  fi
  [[ -f $small ]] || head -n "$((n / 2))" "$big" >"$small"
  for f in "$small" "$big"; do
    /usr/bin/time -v "$bin" calls -q --format json "$f" 2>&1 >/dev/null \
      | awk -F': ' -v n="$(wc -l <"$f")" '/Maximum resident/ {rss=$2} /Elapsed/ {wall=$2} END {printf "  %9d records: peak RSS %.1f MiB, %s wall\n", n, rss/1024, wall}'
  done
}

case $what in
  startup) startup ;;
  validate) validate ;;
  fire) fire ;;
  listen) listen ;;
  calls) calls ;;
  all) startup; validate; fire; listen; calls ;;
  *) echo "unknown part: $what (startup, validate, fire, listen, calls, all)" >&2; exit 2 ;;
esac
