#!/usr/bin/env bash
# Runs the whole CityTwin test suite against a throwaway PostgreSQL 15 + PostGIS cluster.
#
#   ./test.sh                                   # everything
#   ./test.sh --filter FullyQualifiedName~Silo  # extra arguments go to `dotnet test`
#
# Needs only the .NET SDK and Node.js on Debian 12: PostgreSQL 15 + PostGIS, docker-compose (compose file test),
# proj-bin (cs2cs, projection tests) and chromium (page test) are installed with apt-get when missing, and the page
# test's playwright-core with npm ci (the build runs npm ci for the map's own libraries in twin-api). The cluster lives in a
# temporary directory on a free loopback port and is always stopped and removed on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

PG_BIN=/usr/lib/postgresql/15/bin
START_SECONDS=$SECONDS

log() { printf 'test.sh: %s\n' "$*" >&2; }

# Root runs commands directly; anyone else goes through sudo when it is there.
if [[ $(id -u) -eq 0 ]]; then
  AS_ROOT=()
elif command -v sudo >/dev/null 2>&1; then
  AS_ROOT=(sudo)
else
  AS_ROOT=()
fi

# --- 1. Packages ------------------------------------------------------------------------------------
packages=()
if [[ ! -x $PG_BIN/initdb || ! -f /usr/share/postgresql/15/extension/postgis.control ]]; then
  packages+=(postgresql postgresql-15-postgis-3)
fi
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
command -v cs2cs >/dev/null 2>&1 || packages+=(proj-bin)
[[ -x /usr/bin/chromium ]] || packages+=(chromium)

if ((${#packages[@]} > 0)); then
  if [[ $(id -u) -ne 0 && ${#AS_ROOT[@]} -eq 0 ]]; then
    log "missing packages (${packages[*]}) and neither root nor sudo: install them and rerun"
    exit 1
  fi
  apt_log=$(mktemp /tmp/citytwin-apt.XXXXXX.log)
  log "installing ${packages[*]} (apt output in $apt_log)"
  if ! { "${AS_ROOT[@]}" apt-get update &&
    "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"; } \
    >"$apt_log" 2>&1; then
    log "apt-get failed; its output follows"
    cat "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi

# The page test drives /usr/bin/chromium with playwright-core from npm (no browser download): install the package
# from its lock file when it is missing or the lock file changed since the last install.
BROWSER_TESTS=tests/CityTwin.TwinApi.Tests/browser
if [[ ! -f $BROWSER_TESTS/node_modules/playwright-core/package.json ||
  $BROWSER_TESTS/package-lock.json -nt $BROWSER_TESTS/node_modules/.package-lock.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    log "npm is missing: install Node.js 20 (the page test needs playwright-core from npm)"
    exit 1
  fi
  log "installing the page test's node modules in $BROWSER_TESTS"
  if ! npm_out=$(cd "$BROWSER_TESTS" && npm ci --no-audit --no-fund 2>&1); then
    log "npm ci failed; its output follows"
    printf '%s\n' "$npm_out" >&2
    exit 1
  fi
fi

# --- 2. Throwaway cluster ---------------------------------------------------------------------------
# initdb refuses root, so root runs the server as the postgres user; anyone else runs it as themselves.
if [[ $(id -u) -eq 0 ]]; then
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi

PG_TMP=$(mktemp -d /tmp/citytwin-pg.XXXXXX)
PG_DATA=$PG_TMP/data
PG_PORT=
PG_STARTED=0

cleanup() {
  local rc=$?
  if ((PG_STARTED)); then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 ||
      "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TMP"
  exit "$rc"
}
# On Ctrl-C or a CI timeout, stop the test run first (it runs in the background so the trap fires at
# once rather than when dotnet finishes), then the EXIT trap stops the cluster.
DOTNET_PID=
on_signal() {
  if [[ -n $DOTNET_PID ]] && kill -TERM "$DOTNET_PID" 2>/dev/null; then
    for _ in $(seq 1 20); do
      kill -0 "$DOTNET_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$DOTNET_PID" 2>/dev/null || true
  fi
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

if [[ $(id -u) -eq 0 ]]; then chown postgres "$PG_TMP"; fi

if ! "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$PG_TMP/initdb.log" 2>&1; then
  log "initdb failed; its output follows"
  cat "$PG_TMP/initdb.log" >&2
  exit 1
fi

# A port nobody listens on, below Linux's ephemeral range (32768+) so outgoing connections don't take it.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

# Another process can still take the port between the probe and the bind: then try a fresh one.
for attempt in 1 2 3 4 5; do
  PG_PORT=$(pick_port) || { log "no free loopback port found"; exit 1; }
  if "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1; then
    PG_STARTED=1
    break
  fi
  log "PostgreSQL did not start on port $PG_PORT (attempt $attempt)"
  # pg_ctl may have given up while the postmaster still runs: stop it before trying another port.
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
done
if ((!PG_STARTED)); then
  log "PostgreSQL failed to start; its log follows"
  cat "$PG_TMP/postgres.log" >&2 || true
  exit 1
fi

for _ in $(seq 1 60); do
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres && break
  sleep 0.5
done
if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; then
  log "PostgreSQL on port $PG_PORT is not accepting connections; its log follows"
  cat "$PG_TMP/postgres.log" >&2 || true
  exit 1
fi
log "PostgreSQL 15 ready on 127.0.0.1:$PG_PORT (data in $PG_TMP)"

export CITYTWIN_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"

# --- 3. Tests ---------------------------------------------------------------------------------------
rc=0
TEST_LOG="$PG_TMP/dotnet-test.log"
dotnet test CityTwin.sln "$@" > >(tee "$TEST_LOG") 2>&1 &
DOTNET_PID=$!
wait "$DOTNET_PID" || rc=$?
DOTNET_PID=

# One plain summary line over all test projects ("N passed, N failed, N skipped").
read -r passed failed skipped < <(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$TEST_LOG" 2>/dev/null |
  awk -F'[:,] *' '{ f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"

elapsed=$((SECONDS - START_SECONDS))
if ((rc == 0)); then
  echo "test.sh: PASSED (dotnet test exit 0) in ${elapsed}s; PostgreSQL 15 on 127.0.0.1:$PG_PORT"
else
  echo "test.sh: FAILED (dotnet test exit $rc) in ${elapsed}s; PostgreSQL 15 on 127.0.0.1:$PG_PORT"
fi
exit "$rc"
