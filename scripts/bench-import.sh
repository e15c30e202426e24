#!/usr/bin/env bash
# Events benchmarks for docs/benchmarks/events.md.
#
#   scripts/bench-import.sh import [ROWS]   vigil import vs sqlite3 .import of the same GED CSV
#   scripts/bench-import.sh query [EVENTS]  bbox+month page p99 and cluster latency on a store of
#                                           EVENTS resampled real GED events (default 1,000,000)
#   VIGIL_BENCH_PG=postgres://… scripts/bench-import.sh import|query   the same on PostgreSQL
#                                           (import: the sqlite3 reference, psql \copy of the same
#                                           CSV into a bare table as PostgreSQL's own reference, then
#                                           vigil import --db; the events table of that database is
#                                           emptied first, so give it a throwaway database)
#   VIGIL_BENCH_CHANGED=FILE                import: then also import FILE, the same events with a
#                                           field changed in every row (all updated)
#
# Work files go to $VIGIL_BENCH_DIR (default /tmp/vigil-bench-events); the 1M-event
# store is built once and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-import}
dir=${VIGIL_BENCH_DIR:-/tmp/vigil-bench-events}
mkdir -p "$dir"
export VIGIL_SHARED_DATA=${VIGIL_SHARED_DATA:-$(cd .. && pwd)/shared/data}

echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o "$dir/bench-import" ./scripts/bench-import

now() { date +%s.%N; }

case "$mode" in
import)
  go build -o "$dir/vigil" ./cmd/vigil
  rows=${2:-300000}
  csv="$dir/ged-$rows.csv"
  [ -f "$csv" ] || "$dir/bench-import" csv -rows "$rows" -out "$csv"
  echo "input: $csv, $rows rows of the real 49-column UCDP GED 23.1 sample (976 events, replicated with new ids), $(du -hL "$csv" | cut -f1)"

  rm -f "$dir/bare.db"
  t0=$(now)
  sqlite3 "$dir/bare.db" ".import --csv $csv ged"
  t1=$(now)
  n=$(sqlite3 "$dir/bare.db" "SELECT COUNT(*) FROM ged")
  s_sqlite=$(echo "$t1 - $t0" | bc -l)
  echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1) .import into a bare table: $n rows in ${s_sqlite}s = $(echo "$n / $s_sqlite" | bc) rows/s"

  if [ -n "${VIGIL_BENCH_PG:-}" ]; then
    # PostgreSQL's own reference: psql \copy of the same CSV into a bare table
    # of TEXT columns named by the header row (what sqlite3 .import makes).
    cols=$(head -1 "$csv" | tr -d '\r' | sed 's/\([^,]*\)/"\1" text/g')
    PGOPTIONS="-c client_min_messages=warning" psql -q "$VIGIL_BENCH_PG" -c "DROP TABLE IF EXISTS bench_ged_bare" -c "CREATE TABLE bench_ged_bare ($cols)"
    t0=$(now)
    psql -q "$VIGIL_BENCH_PG" -c "\\copy bench_ged_bare FROM '$csv' WITH (FORMAT csv, HEADER true)"
    t1=$(now)
    n=$(psql -Atq "$VIGIL_BENCH_PG" -c "SELECT COUNT(*) FROM bench_ged_bare")
    psql -q "$VIGIL_BENCH_PG" -c "DROP TABLE bench_ged_bare"
    s_copy=$(echo "$t1 - $t0" | bc -l)
    echo "psql \\copy (COPY FROM STDIN, CSV) into a bare table: $n rows in ${s_copy}s = $(echo "$n / $s_copy" | bc) rows/s"

    store=(--db "$VIGIL_BENCH_PG")
    psql -q "$VIGIL_BENCH_PG" -c "DO \$\$ BEGIN IF to_regclass('events') IS NOT NULL THEN TRUNCATE events; END IF; END \$\$"
    echo "store: PostgreSQL $(psql -Atq "$VIGIL_BENCH_PG" -c 'SHOW server_version'), events table emptied"
  else
    store=(--data "$dir/data")
    rm -rf "$dir/data"
    echo "store: SQLite in $dir/data"
  fi
  t0=$(now)
  out=$("$dir/vigil" import "${store[@]}" --json "$csv")
  t1=$(now)
  s_vigil=$(echo "$t1 - $t0" | bc -l)
  echo "vigil import (parse, validate, hash, upsert, one transaction): $out in ${s_vigil}s = $(echo "$rows / $s_vigil" | bc) rows/s"
  echo "ratio vigil/sqlite3 rows/s: $(echo "scale=2; $s_sqlite / $s_vigil" | bc)"
  if [ -n "${VIGIL_BENCH_PG:-}" ]; then
    echo "ratio vigil/psql \\copy rows/s: $(echo "scale=2; $s_copy / $s_vigil" | bc)"
  fi

  t0=$(now)
  out=$("$dir/vigil" import "${store[@]}" --json "$csv")
  t1=$(now)
  s_again=$(echo "$t1 - $t0" | bc -l)
  echo "re-import of the same file: $out in ${s_again}s = $(echo "$rows / $s_again" | bc) rows/s"

  if [ -n "${VIGIL_BENCH_CHANGED:-}" ]; then
    # A copy of the same file with a field changed in every row (every event updated).
    t0=$(now)
    out=$("$dir/vigil" import "${store[@]}" --json "$VIGIL_BENCH_CHANGED")
    t1=$(now)
    s_changed=$(echo "$t1 - $t0" | bc -l)
    echo "import of $VIGIL_BENCH_CHANGED (the same events, changed): $out in ${s_changed}s = $(echo "$rows / $s_changed" | bc) rows/s"
  fi
  ;;
query)
  events=${2:-1000000}
  if [ -n "${VIGIL_BENCH_PG:-}" ]; then
    store=(-db "$VIGIL_BENCH_PG")
    have=$("$dir/bench-import" query "${store[@]}" -n 0 -clusters 0 2>/dev/null | sed -n 's/^store: [a-z]*, \([0-9]*\) events$/\1/p' || true)
  else
    store=(-data "$dir/store-$events")
    have=$([ -f "$dir/store-$events/vigil.db" ] && sqlite3 "$dir/store-$events/vigil.db" "SELECT COUNT(*) FROM events" || echo 0)
  fi
  if [ "${have:-0}" != "$events" ]; then
    "$dir/bench-import" build -events "$events" "${store[@]}"
  fi
  "$dir/bench-import" query "${store[@]}"
  ;;
*)
  echo "usage: $0 import [ROWS] | query [EVENTS]" >&2
  exit 2
  ;;
esac
