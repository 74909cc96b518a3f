#!/usr/bin/env bash
# Durable HTTP ingest through 1, 2 or 3 citytwin silos on one PostgreSQL, for docs/SCALING.md.
#
#   bench/cluster-load.sh --silos 3 --postgres "Host=127.0.0.1;Port=55432;Username=postgres" [--buildings 5000]
#                         [--rate max] [--duration 20s] [--citytwin twin-api/bin/Release/net10.0/citytwin.dll]
#                         [--out /tmp/cluster-load]
#
# Creates a fresh database (citytwin_scale_<silos>) on the given server, starts the silos one after the other (one silo
# runs as users start it, without --cluster; two or more form cluster "scale" through PostgreSQL), waits until every silo
# sees them all, drives `citytwin load --target <every silo>` (the requests go to each silo in turn), saves each silo's
# /health and /metrics before and after, stops the silos and drops the database. The load report is <out>/load-<silos>.json;
# bench/cluster-figures.py prints the figures per reading (cross-silo messages and bytes, PostgreSQL commits and rows).
set -euo pipefail

SILOS=1
POSTGRES=
BUILDINGS=5000
RATE=max
DURATION=20s
CITYTWIN=twin-api/bin/Release/net10.0/citytwin.dll
OUT=/tmp/cluster-load

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case $1 in
    --silos) SILOS=$2; shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    --buildings) BUILDINGS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --citytwin) CITYTWIN=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "cluster-load: unknown option '$1'" >&2; usage ;;
  esac
done
[[ -n $POSTGRES ]] || { echo "cluster-load: --postgres is required" >&2; usage; }
[[ $SILOS =~ ^[1-9]$ ]] || { echo "cluster-load: --silos must be 1-9; got '$SILOS'" >&2; exit 2; }
[[ -f $CITYTWIN ]] || { echo "cluster-load: no $CITYTWIN (dotnet build twin-api -c Release)" >&2; exit 2; }
command -v psql >/dev/null || { echo "cluster-load: psql is missing" >&2; exit 2; }

mkdir -p "$OUT"
DB=citytwin_scale_$SILOS
# psql takes the Npgsql-style pairs as a libpq connection string: Host/Port/Username -> host/port/user.
PSQL_CONN=$(sed -e 's/Host=/host=/I' -e 's/Port=/port=/I' -e 's/Username=/user=/I' -e 's/Password=/password=/I' -e 's/;/ /g' <<<"$POSTGRES")
psql "$PSQL_CONN dbname=postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
CS="$POSTGRES;Database=$DB"

PIDS=()
URLS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$PSQL_CONN dbname=postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap stop_all EXIT

health() { curl -sf -H 'X-Api-Key: demo-admin-key' "$1/health"; }
silos_seen() { health "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cluster"]["silos"]))' 2>/dev/null || echo 0; }

for ((i = 1; i <= SILOS; i++)); do
  http=$((5200 + i)); silo=$((11200 + i)); gateway=$((30200 + i))
  args=(serve --store postgres --connection "$CS" --urls "http://127.0.0.1:$http" --District:Buildings "$BUILDINGS" --Silo:Name "silo$i" --Simulation:Enabled false)
  if ((SILOS > 1)); then args+=(--cluster scale --silo-port "$silo" --gateway-port "$gateway"); fi
  started=$SECONDS
  dotnet "$CITYTWIN" "${args[@]}" >"$OUT/silo$i-$SILOS.log" 2>&1 &
  PIDS+=($!)
  URLS+=("http://127.0.0.1:$http")
  until health "http://127.0.0.1:$http" >/dev/null; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "cluster-load: silo$i exited; see $OUT/silo$i-$SILOS.log" >&2; exit 1; }
    ((SECONDS - started < 300)) || { echo "cluster-load: silo$i not healthy within 300 s" >&2; exit 1; }
    sleep 0.5
  done
  echo "cluster-load: silo$i up after $((SECONDS - started)) s" >&2
done
if ((SILOS > 1)); then
  for url in "${URLS[@]}"; do
    until [[ $(silos_seen "$url") == "$SILOS" ]]; do sleep 0.5; done
  done
fi

TARGETS=$(IFS=,; echo "${URLS[*]}")
pg_stats() {
  psql "$PSQL_CONN dbname=postgres" -Atc "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, blks_hit + blks_read FROM pg_stat_database WHERE datname = '$DB'"
}
pg_stats >"$OUT/pg-before-$SILOS.txt"
# CPU ticks (utime + stime, 1/100 s) of each silo, of every postgres process, and of the whole machine (busy, from
# /proc/stat), so cluster-figures.py can split the CPU per reading between the silos, PostgreSQL and the rest (the load client).
cpu_ticks() {
  local line="machine $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
  for ((i = 1; i <= SILOS; i++)); do line+=" silo$i $(awk '{print $14 + $15}' "/proc/${PIDS[i-1]}/stat")"; done
  line+=" postgres $(for p in $(pgrep -x postgres); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}')"
  echo "$line"
}
cpu_ticks >"$OUT/cpu-before-$SILOS.txt"
metrics() { curl -sf -H 'X-Api-Key: demo-admin-key' "$1/metrics"; }
for ((i = 1; i <= SILOS; i++)); do
  health "${URLS[i-1]}" >"$OUT/health-before-silo$i-$SILOS.json"
  metrics "${URLS[i-1]}" >"$OUT/metrics-before-silo$i-$SILOS.txt" || true
done
dotnet "$CITYTWIN" load --target "$TARGETS" --buildings "$BUILDINGS" --rate "$RATE" --duration "$DURATION" --no-baseline --plain \
  --report "$OUT/load-$SILOS.json" | tee "$OUT/load-$SILOS.txt"
cpu_ticks >"$OUT/cpu-after-$SILOS.txt"
sleep 1 # pg_stat_database is updated when a backend reports, at most every 500 ms
pg_stats >"$OUT/pg-after-$SILOS.txt"
echo "cluster-load: PostgreSQL (commits|inserted|updated|deleted|blocks) before $(cat "$OUT/pg-before-$SILOS.txt"), after $(cat "$OUT/pg-after-$SILOS.txt")" | tee -a "$OUT/load-$SILOS.txt"
for ((i = 1; i <= SILOS; i++)); do
  health "${URLS[i-1]}" >"$OUT/health-after-silo$i-$SILOS.json"
  metrics "${URLS[i-1]}" >"$OUT/metrics-after-silo$i-$SILOS.txt" || true
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/${PIDS[i-1]}/status")
  echo "cluster-load: silo$i RSS ${rss} MB" | tee -a "$OUT/load-$SILOS.txt"
done
python3 "$(dirname "$0")/cluster-figures.py" "$OUT" "$SILOS" | tee -a "$OUT/load-$SILOS.txt"
