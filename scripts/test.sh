#!/usr/bin/env bash
# Runs Vigil's whole test suite. If PostgreSQL's server binaries are installed
# it starts a throwaway cluster on a unix socket in a temporary directory so the
# PostgreSQL half of the store suite runs too, and removes it afterwards.
# Extra arguments go to `go test` (e.g. scripts/test.sh -run TestStore).
set -euo pipefail
cd "$(dirname "$0")/.."

pgbin=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && pgbin="$d"
done
if [ -z "${VIGIL_TEST_POSTGRES:-}" ] && [ -n "$pgbin" ]; then
  pgdir=$(mktemp -d /tmp/vigil-pg.XXXXXX)
  chmod 755 "$pgdir"
  run=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the cluster as the postgres user.
    id postgres >/dev/null 2>&1 || useradd -r -M postgres
    chown postgres "$pgdir"
    run=(runuser -u postgres --)
  fi
  # A UTF-8 locale, as a mission's database should have: PostgreSQL's lower()
  # follows it, and the text search ignores case beyond ASCII only under one
  # (store suite "integrity_search"; a machine's default may be plain C).
  "${run[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-k $pgdir -c listen_addresses='' -c fsync=off -c max_connections=300" start >/dev/null
  trap '"${run[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
  export VIGIL_TEST_POSTGRES="postgres:///postgres?host=$pgdir&user=postgres&sslmode=disable"
  echo "test.sh: throwaway PostgreSQL at $pgdir"
elif [ -z "${VIGIL_TEST_POSTGRES:-}" ]; then
  echo "test.sh: PostgreSQL server binaries not found; the PostgreSQL store suite will skip"
fi

go mod tidy -diff   # the module file lists exactly what the code imports
go vet ./...
# The browser tests make web the longest package by far (1,290-1,380 s of
# a 25-29 min run on this 2-core machine, 2026-12-07); its browser tests
# run two at a time (t.Parallel: a test waiting on its page leaves a core
# idle). It is started first, beside the other packages, rather than
# queued behind them for one of go test's -p slots: it is the run's
# critical path. Both halves print into one log for the retry below.
log=$(mktemp /tmp/vigil-test.XXXXXX)
weblog=$(mktemp /tmp/vigil-test-web.XXXXXX)
set +e
go test -count=1 -timeout 28m "$@" ./web >"$weblog" 2>&1 &
webpid=$!
others=$(go list ./... | grep -v '^github.com/vigil-project/vigil/web$')
go test -count=1 -timeout 28m "$@" $others 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
wait "$webpid"
webrc=$?
cat "$weblog" | tee -a "$log"
rm -f "$weblog"
[ "$rc" -eq 0 ] && rc=$webrc
set -e
if [ "$rc" -ne 0 ]; then
  # A browser test (TestE2E…) drives a real Chromium on a busy machine and
  # can lose a race with the page it waits on (a redraw between finding an
  # element and using it). When the only failures are at most three such
  # tests in ./web (no other package failed, no panic, no timeout, no build
  # failure), they are run once more, alone, and the run passes only if
  # they pass then: the retry is said loudly here, with the names, so a
  # flaky test is seen and mended, not hidden. Any other failure fails.
  pkgs=$(grep -E '^FAIL[[:space:]]+[^[:space:]]+' "$log" | awk '{print $2}' | sort -u)
  e2e=$(grep -E '^--- FAIL: TestE2E' "$log" | awk '{print $3}' | sort -u)
  other=$(grep -E '^--- FAIL: ' "$log" | grep -v -E '^--- FAIL: TestE2E' || true)
  if [ "$pkgs" = "github.com/vigil-project/vigil/web" ] && [ -n "$e2e" ] && [ -z "$other" ] &&
     [ "$(wc -w <<<"$e2e")" -le 3 ] && ! grep -qE '^panic:|test timed out|\[build failed\]|\[setup failed\]' "$log"; then
    names=$(echo $e2e | tr ' ' '|')
    echo "test.sh: FLAKY? browser test(s) failed: $(echo $e2e); running them once more, alone"
    if go test -count=1 -timeout 10m -run "^($names)\$" ./web; then
      echo "test.sh: FLAKY: $(echo $e2e) failed in the full run and passed alone: the run passes; mend the race"
      rm -f "$log"
      exit 0
    fi
    echo "test.sh: $(echo $e2e) failed again alone"
  fi
  rm -f "$log"
  exit "$rc"
fi
rm -f "$log"
