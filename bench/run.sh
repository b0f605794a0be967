#!/usr/bin/env bash
# DoseCal national-scale benchmark (issue 7): dosecal's direct-file calibration against pandas
# and DuckDB (2 threads) on the same generated CSV files, same numbers checked, median wall
# time of alternating runs, CPU time, peak memory; then the store (import rate and memory,
# one-year calibration over the whole store).
#
#   bench/run.sh [--procedures N] [--operators K] [--type-variants V] [--runs R] [--seed S] [--no-store] [--no-pandas]
#   bench/run.sh --data DIR [--from YYYY-MM-DD --to YYYY-MM-DD] [--runs R] ...
#
# --operators and --type-variants shape the generated data (dosecal-synth: 400 operators and 20
# procedure types by default; a national registry is more like --operators 20000 --type-variants 15).
# --data runs the same comparison on someone else's files (DIR/procedures.csv, exposures.csv,
# operators.csv in SPEC's format); the period defaults to the whole span of the procedures.
# Run on purpose (not part of the tests). Data goes to bench/data/ and the Python environment
# to bench/.venv/ (both ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
N=5000000; RUNS=5; SEED=1; STORE=1; PANDAS=1; DATA=""; FROM=""; TO=""; SHAPE=(); TAG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --procedures) N="$2"; shift 2 ;;
    --operators) SHAPE+=(--operators "$2"); TAG="$TAG-o$2"; shift 2 ;;
    --type-variants) SHAPE+=(--type-variants "$2"); TAG="$TAG-v$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    --to) TO="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --no-store) STORE=0; shift ;;
    --no-pandas) PANDAS=0; shift ;;
    *) echo "usage: bench/run.sh [--procedures N [--operators K] [--type-variants V] | --data DIR [--from D --to D]] [--runs R] [--seed S] [--no-store] [--no-pandas]" >&2; exit 2 ;;
  esac
done

command -v /usr/bin/time >/dev/null || { apt-get update && apt-get install -y time; }
echo "== build (release)"
swift build -c release --scratch-path .build-engine-release --product dosecal >/dev/null
swift build -c release --scratch-path .build-engine-release --product dosecal-synth >/dev/null
BIN=$(swift build -c release --scratch-path .build-engine-release --show-bin-path)
if [ -z "$DATA" ]; then
  DATA=bench/data/p$N-s$SEED$TAG
  [ -n "$FROM" ] || { FROM=2015-01-01; TO=2024-12-31; }   # the generator's ten years: every row is joined
  if [ ! -f "$DATA/exposures.csv" ]; then
    echo "== generate $N procedures (seed $SEED)"
    /usr/bin/time -f "   %e s, max RSS %M KB" "$BIN/dosecal-synth" --procedures "$N" --seed "$SEED" "${SHAPE[@]}" --out "$DATA"
  fi
else
  for f in procedures exposures operators; do
    [ -f "$DATA/$f.csv" ] || { echo "bench/run.sh: $DATA/$f.csv is missing" >&2; exit 2; }
  done
  N=$(($(wc -l < "$DATA/procedures.csv") - 1))
fi
if [ -z "$FROM" ] || [ -z "$TO" ]; then
  # The whole span of the valid procedures, as dosecal reads it.
  read -r FROM TO < <("$BIN/dosecal" calibrate --procedures "$DATA/procedures.csv" --exposures "$DATA/exposures.csv" \
      --operators "$DATA/operators.csv" --json | python3 -c 'import json, sys; p = json.load(sys.stdin)["period"]; print(p["from"], p["to"])')
fi
echo "   period $FROM .. $TO"
P=$(stat -c %s "$DATA/procedures.csv"); E=$(stat -c %s "$DATA/exposures.csv")
ROWS=$(($(wc -l < "$DATA/exposures.csv") - 1))
echo "   procedures.csv $((P / 1000000)) MB, exposures.csv $((E / 1000000)) MB ($ROWS exposure rows)"
if [ ! -x bench/.venv/bin/python ]; then
  echo "== python venv (pandas, duckdb from PyPI)"
  python3 -m venv bench/.venv && bench/.venv/bin/pip install -q pandas duckdb
fi
PY=bench/.venv/bin/python
cat "$DATA"/*.csv > /dev/null   # page cache, as in the issue

OUT=bench/data/out; mkdir -p "$OUT"; : > "$OUT/times.txt"
run() {  # name, command…  → appends "name wall user sys maxrss_kb"
  local name=$1; shift
  /usr/bin/time -o "$OUT/t" -f "%e %U %S %M" "$@" > "$OUT/$name.json"
  echo "$name $(cat "$OUT/t")" >> "$OUT/times.txt"
}
ENGINES="dosecal duckdb"; [ $PANDAS = 1 ] && ENGINES="dosecal duckdb pandas"
echo "== $RUNS alternating runs of: $ENGINES   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
for i in $(seq "$RUNS"); do
  for e in $ENGINES; do
    case $e in
      dosecal) run dosecal "$BIN/dosecal" calibrate --procedures "$DATA/procedures.csv" --exposures "$DATA/exposures.csv" \
                 --operators "$DATA/operators.csv" --from $FROM --to $TO --json ;;
      duckdb) run duckdb $PY bench/job.py duckdb "$DATA" $FROM $TO 2 ;;
      pandas) run pandas $PY bench/job.py pandas "$DATA" $FROM $TO ;;
    esac
  done
  echo "   run $i done"
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== same numbers?"
OTHERS="$OUT/duckdb.json"; [ $PANDAS = 1 ] && OTHERS="$OTHERS $OUT/pandas.json"
$PY bench/compare.py "$OUT/dosecal.json" $OTHERS
echo "== results: $N procedures / $ROWS exposures, $RUNS runs, load average after: $LOAD"
$PY - "$OUT/times.txt" <<'PYEOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, rss = line.split()
    rows.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss)))
med = {n: (statistics.median(w for w, _, _ in r), statistics.median(c for _, c, _ in r), max(m for _, _, m in r)) for n, r in rows.items()}
print(f"| engine | wall median (s) | CPU user+sys median (s) | max RSS (MiB) | wall / dosecal | RSS / dosecal |")
print(f"| --- | --- | --- | --- | --- | --- |")
d = med["dosecal"]
for n, (w, c, m) in med.items():
    print(f"| {n} | {w:.2f} | {c:.2f} | {m / 1024:.0f} | {w / d[0]:.2f} | {m / d[2]:.2f} |")
for n in med:
    if n != "dosecal":
        print(f"dosecal/{n}: wall {d[0] / med[n][0]:.3f}, CPU {d[1] / med[n][1]:.3f}, memory {d[2] / med[n][2]:.3f}")
PYEOF

if [ $STORE = 1 ]; then
  echo "== store: import all (rows/s, max RSS) and one-year calibration"
  DB="$OUT/store-$N.sqlite"; rm -f "$DB" "$DB-wal" "$DB-shm"
  /usr/bin/time -o "$OUT/t" -f "%e %U %S %M" "$BIN/dosecal" import all --db "$DB" --operators "$DATA/operators.csv" \
      --procedures "$DATA/procedures.csv" --exposures "$DATA/exposures.csv" --json > "$OUT/import.json"
  read -r W U S M < "$OUT/t"
  echo "   import all: $W s wall, $(awk -v r="$ROWS" -v w="$W" 'BEGIN { printf "%.0f", r / w }') exposure rows per second of the whole import, max RSS $((M / 1024)) MiB"
  # Exposures alone, into a store that holds the procedures (the rate of the issue's target).
  DBE="$OUT/store-$N-exposures.sqlite"; rm -f "$DBE" "$DBE-wal" "$DBE-shm"
  "$BIN/dosecal" import procedures --db "$DBE" "$DATA/procedures.csv" --json > /dev/null
  /usr/bin/time -o "$OUT/t" -f "%e %U %S %M" "$BIN/dosecal" import exposures --db "$DBE" "$DATA/exposures.csv" --json > /dev/null
  read -r W U S M < "$OUT/t"
  echo "   import exposures: $W s wall, $(awk -v r="$ROWS" -v w="$W" 'BEGIN { printf "%.0f", r / w }') rows/s, max RSS $((M / 1024)) MiB"
  rm -f "$DBE" "$DBE-wal" "$DBE-shm"
  for y in ${TO%%-*}; do
    /usr/bin/time -o "$OUT/t" -f "%e %U %S %M" "$BIN/dosecal" calibrate --db "$DB" --from $y-01-01 --to $y-12-31 --json > "$OUT/store-cal.json"
    read -r W U S M < "$OUT/t"
    echo "   calibrate --db --from $y-01-01 --to $y-12-31: $W s wall, max RSS $((M / 1024)) MiB"
  done
fi
