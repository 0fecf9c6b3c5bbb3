# What scripts/bench.sh and scripts/steps.sh share: the binary they measure, the shared harness
# (../shared/bench beside the main checkout) and its corpus. Sourced from the repository's root.

# The servetel to measure: $SERVETEL_BIN, else a release build of this checkout.
if [[ -n ${SERVETEL_BIN:-} ]]; then
  bin=$SERVETEL_BIN
else
  cargo build --release --locked -q
  bin=${CARGO_TARGET_DIR:-target}/release/servetel
fi

# The side-by-side harness (its peers, corpus generator, wrk script): ../shared/bench beside the
# main checkout, found from a git worktree too; BENCH_DIR names another copy (one where
# `npm ci` has put ajv, ajv-cli and ajv-formats in node_modules/).
shared_bench() {
  local common
  common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || echo .git)
  echo "${BENCH_DIR:-$(dirname "$(dirname "$common")")/shared/bench}"
}
bench_dir=$(shared_bench)

# The shared benchmark corpus (gen_corpus.py of the harness, seed 42), generated once into target/.
corpus() {
  local dir=target/bench-corpus
  if [[ ! -f $dir/corpus/manifest.json ]]; then
    mkdir -p "$dir"
    cp "$bench_dir/gen_corpus.py" "$dir/"
    (cd "$dir" && python3 gen_corpus.py >/dev/null)
  fi
  echo "$dir/corpus"
}
