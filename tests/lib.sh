# Helpers for the command-line test cases (sourced by tests/tap-case).  A test
# is a function test_NAME in tests/cases/*.sh; it runs in a fresh temporary
# directory under errexit and passes when it returns 0 and no `fail` was
# called on the way.  Every helper prints why it fails.

# run nianbao, keeping status, stdout and stderr for the checks below
run() {
  STATUS=0
  "$NIANBAO" "$@" >stdout.txt 2>stderr.txt || STATUS=$?
  if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'ERROR: LeakSanitizer' stderr.txt; then
    echo "sanitizer report from: nianbao $*"; cat stderr.txt; return 1
  fi
  if [ "$STATUS" -ge 128 ] || grep -q 'PANIC: unprotected error' stderr.txt; then
    echo "nianbao crashed (status $STATUS): nianbao $*"; head -c 3000 stderr.txt; return 1
  fi
  return 0
}

# fail MESSAGE: prints why and marks the test failed, whatever the test does next
fail() {
  echo "FAILED: $*"; echo "--- stdout"; head -c 3000 stdout.txt 2>/dev/null; echo "--- stderr"; head -c 3000 stderr.txt 2>/dev/null
  [ -z "${NB_FAILED:-}" ] || echo "$*" >> "$NB_FAILED"
  return 1
}

# need_corpus: skip this test (exit 77) when ../shared/corpus is absent
# data/: a copy of the built-in plugins, lib modules and templates, for a
# case to edit and run with NIANBAO_DATA_DIR=$PWD/data
copy_data() {
  mkdir -p data
  cp -r "$NB_ROOT/plugins" "$NB_ROOT/lib" "$NB_ROOT/templates" data/
}

need_corpus() {
  [ -d "$NB_CORPUS" ] || { echo "skipped: the real reports of ../shared/corpus are absent"; exit 77; }
}

expect_status() { [ "$STATUS" -eq "$1" ] || fail "expected exit status $1, got $STATUS"; }
expect_stdout() { grep -qF -- "$1" stdout.txt || fail "stdout lacks: $1"; }
expect_stderr() { grep -qF -- "$1" stderr.txt || fail "stderr lacks: $1"; }
expect_no_stdout() { ! grep -qF -- "$1" stdout.txt || fail "stdout should not contain: $1"; }

# rule ids of the findings in stdout.txt (from check --json), one per line, sorted
finding_rules() { grep -o '"rule":[[:space:]]*"[^"]*"' stdout.txt | sed 's/.*"\([^"]*\)"$/\1/' | sort; }

# expect exactly these rule ids (space-separated, any order, repeats count)
expect_findings() {
  local want got
  want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
  got=$(finding_rules)
  [ "$want" = "$got" ] || fail "findings: expected [$(echo $want)] got [$(echo $got)]"
}

# expect a finding for rule $1 whose JSON object contains field "$2": "$3"
expect_finding_field() {
  tr -d '\n' < stdout.txt | grep -o '{[^{}]*"rule":[[:space:]]*"'"$1"'"[^{}]*}' | grep -q "\"$2\":[[:space:]]*\"$3\"" ||
    fail "no $1 finding with $2 = $3"
}

# copy of FILE with line N replaced by TEXT
replace_line() { awk -v n="$2" -v t="$3" 'NR == n { print t; next } { print }' "$1"; }

# line number of the Nth line (default 1st) equal to TEXT in FILE, after line FROM (default 0)
line_of() { awk -v t="$2" -v from="${3:-0}" 'NR > from && $0 == t { print NR; exit }' "$1"; }

# expect a finding for rule $1 whose JSON object has the number $3 in field "$2" (e.g. line)
expect_finding_number() {
  tr -d '\n' < stdout.txt | grep -o '{[^{}]*"rule":[[:space:]]*"'"$1"'"[^{}]*}' | grep -q "\"$2\":[[:space:]]*$3[,}[:space:]]" ||
    fail "no $1 finding with $2 = $3"
}

# expect stderr to match the extended regular expression $1 (a message naming file:line …)
expect_stderr_re() { grep -qE -- "$1" stderr.txt || fail "stderr does not match: $1"; }

# writes standard input as plugin file plugins/NAME, for --plugin-dir plugins
plugin() { mkdir -p plugins && cat > "plugins/$1"; }
