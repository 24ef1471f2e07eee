#!/usr/bin/env bash
# The ticket list at scale: builds SIZE synthetic tickets (bench/list/make_tickets.py) through
# campusdesk's own CSV import into a fresh database, then measures each list case with wrk
# (Debian's package, installed when missing) against the release build of the ticket service.
#
#   bench/list/run.sh [SIZE] [BACKEND]      SIZE default 100000; BACKEND sqlite (default) or postgres
#
# PostgreSQL: set CAMPUSDESK_BENCH_POSTGRES_URL to a server URL naming a database the script may
# drop and create (default postgres://postgres@127.0.0.1:5432/campusdesk_bench).
# Writes a Markdown table to stdout; the figures in bench/README.md come from it.
set -euo pipefail

size=${1:-100000}
backend=${2:-sqlite}
duration=${CAMPUSDESK_BENCH_SECONDS:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
addr=127.0.0.1:18181
base="http://$addr/api/v1"
trap 'kill "$service" 2>/dev/null || true; rm -rf "$work"' EXIT

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
(cd "$root" && cargo build --release --quiet)
bin="$root/target/release/campusdesk"

case "$backend" in
    sqlite) url="sqlite://$work/bench.db" ;;
    postgres)
        url=${CAMPUSDESK_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/campusdesk_bench}
        admin="${url%/*}/postgres"
        db="${url##*/}"
        psql "$admin" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
        ;;
    *) echo "BACKEND is sqlite or postgres" >&2; exit 2 ;;
esac

python3 "$root/bench/list/make_tickets.py" "$size" "$work/csv" 20000
"$bin" tickets --addr "$addr" --database-url "$url" >"$work/service.log" 2>&1 &
service=$!
until curl -sf "http://$addr/healthz" >/dev/null; do sleep 0.2; done

started=$(date +%s.%N)
for file in "$work"/csv/*.csv; do
    "$bin" import --tickets-url "http://$addr" "$file" >/dev/null
done
ended=$(date +%s.%N)
rate=$(python3 -c "print(round($size / ($ended - $started)))")

# The cursor of page 100 (25 tickets a page, as the staff list shows them).
cursor=""
for _ in $(seq 1 99); do
    cursor=$(curl -sf -H 'X-Campusdesk-Role: staff' "$base/tickets?limit=25${cursor:+&cursor=$cursor}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
done

echo "| case ($size tickets, $backend) | req/s | p50 | p99 |"
echo "| --- | --- | --- | --- |"
measure() {
    local name=$1 query=$2
    local out
    out=$(wrk -t2 -c8 -d"${duration}s" --latency -H 'X-Campusdesk-Role: staff' "$base/tickets?limit=25&$query")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "| $name | $rps | $p50 | $p99 |"
}
measure "default (newest first)" ""
measure "status=open" "status=open"
measure "category=it" "category=it"
measure "filter matching nothing (closed services)" "status=closed&category=services"
measure "rare word (zeppelin)" "q=zeppelin"
measure "common word (printer)" "q=printer"
measure "phrase (\"no heating\")" "q=%22no%20heating%22"
measure "ticket number (#4242)" "q=%234242"
measure "word only in a message (photocopier)" "q=photocopier"
measure "page 100" "cursor=$cursor"
echo
echo "import: $rate tickets/s through \`campusdesk import\` (20,000-row files, categories given)"
if [ "$backend" = sqlite ]; then
    echo "database: $(du -sh "$work"/bench.db* | awk '{s = s $1 " "} END {print s}')"
fi
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
