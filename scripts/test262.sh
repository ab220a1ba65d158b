#!/usr/bin/env bash
# test262 with every function instrumented (issue #7 item 2; results in CONFORMANCE.md).
#
#   scripts/test262.sh <test262-dir> [test/language/<dir> ...]
#
# Runs the test262 tests of the directories below (or those given) three times with
# test262-harness on this machine's node: as written ("raw"), compiled by Babel with the ts-pdb
# plugin ("babel") and by ts.transpileModule with the ts-pdb transformer ("ts"), both with
# `instrument: "all"` (scripts/test262-preprocessor.cjs). A test that fails instrumented but passes
# raw is run again through the same compiler without ts-pdb ("babel-plain", "ts-plain"): if it
# fails there too, the compiler is the cause, not ts-pdb. scripts/test262-report.mjs then prints
# the counts and every difference; the exit status is 1 when one is ts-pdb's.
#
# Environment: OUT (results folder; default .tmp/test262 in this checkout), THREADS (default 2),
# BUILDS (default "raw babel ts"), IPDB_DEBUG=1 (instrumented tests run with debugging on:
# every throw through a function records its frame), TS_PDB_TEST262_SCENARIO=one (one run per
# test instead of two: as written, or strict for onlyStrict tests; =other: the runs `one` leaves
# out). Needs `npm run build` first.
# Long: about 12,600 tests, most run twice (as written and strict), through 3 builds: hours on 2
# CPUs; use `nice -n 10` on a shared machine.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/package.json" ] || [ ! -d "$1/test/language" ]; then
  echo "usage: scripts/test262.sh <test262-dir> [test/language/<dir> ...]" >&2
  echo "  <test262-dir>: a checkout of tc39/test262 (with package.json, harness/ and test/)" >&2
  exit 2
fi
T262=$(cd "$1" && pwd)
shift
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$ROOT/.tmp/test262}
THREADS=${THREADS:-2}
BUILDS=${BUILDS:-raw babel ts}

if [ ! -f "$ROOT/dist/transformer/index.js" ]; then
  echo "scripts/test262.sh: dist/ is missing; run npm run build first" >&2
  exit 2
fi

# The directories of issue #7, under test/language. "default parameters" have no directory of
# their own: their tests (dflt-params-*) are in the function, generator, async and class folders.
DIRS=(
  statements/function expressions/function expressions/arrow-function function-code rest-parameters
  statements/generators expressions/generators
  statements/async-function expressions/async-function expressions/async-arrow-function
  statements/async-generator expressions/async-generator
  statements/class expressions/class
  arguments-object block-scope statements/let statements/const destructuring
  statements/try statements/labeled eval-code expressions/new.target expressions/super
)
if [ $# -gt 0 ]; then
  DIRS=()
  for d in "$@"; do DIRS+=("${d#test/language/}"); done
fi

mkdir -p "$OUT"
HARNESS="$ROOT/node_modules/.bin/test262-harness"
NODE=$(command -v node)
# The commit, when <test262-dir> is the top of a git checkout (not a folder inside another repository).
COMMIT="unknown (not a git checkout)"
if [ "$(git -C "$T262" rev-parse --show-toplevel 2>/dev/null)" = "$T262" ]; then COMMIT=$(git -C "$T262" rev-parse HEAD); fi
echo "test262 $COMMIT; $($NODE --version); ${#DIRS[@]} directories; results in $OUT" >&2
printf '%s\n' "${DIRS[@]}" > "$OUT/dirs.txt"
echo "$COMMIT" > "$OUT/test262-commit.txt"

# run <build> <json> <test files or globs...>
run() {
  local build=$1 json=$2
  shift 2
  local start=$SECONDS
  : > "$OUT/$build.refused.jsonl"
  # tail-call-optimization: Node has none; those tests only exhaust the stack (excluded).
  TS_PDB_TEST262_BUILD=$build TS_PDB_TEST262_LOG="$OUT/$build.refused.jsonl" "$HARNESS" \
    --host-type=node --host-path="$NODE" --test262-dir="$T262" \
    --preprocessor="$ROOT/scripts/test262-preprocessor.cjs" \
    --features-exclude=tail-call-optimization \
    --reporter=json --reporter-keys=file,scenario,attrs,result -t "$THREADS" "$@" > "$json"
  echo "  $build: $((SECONDS - start)) s" >&2
}

GLOBS=()
for d in "${DIRS[@]}"; do GLOBS+=("$T262/test/language/$d/**/*.js"); done
for build in $BUILDS; do
  run "$build" "$OUT/$build.json" "${GLOBS[@]}"
done

# Failing instrumented, passing raw: run again without ts-pdb to tell the compiler's own differences apart.
for compiler in babel ts; do
  [ -f "$OUT/$compiler.json" ] || continue
  node "$ROOT/scripts/test262-report.mjs" --suspects "$OUT" "$compiler" > "$OUT/$compiler.suspects.txt"
  if [ -s "$OUT/$compiler.suspects.txt" ]; then
    mapfile -t SUSPECTS < "$OUT/$compiler.suspects.txt"
    run "$compiler-plain" "$OUT/$compiler-plain.json" "${SUSPECTS[@]/#/$T262/}"
  else
    echo '[]' > "$OUT/$compiler-plain.json"
  fi
done

node "$ROOT/scripts/test262-report.mjs" "$OUT"
