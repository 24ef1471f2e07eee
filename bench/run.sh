#!/usr/bin/env bash
# campusdesk's benchmark harness.
#
# Writes SIZE synthetic tickets (bench/make_tickets.py) through `campusdesk import` into a fresh
# database, starts the three services of the release build as separate processes on free local
# ports (the ticket service; the analytics service following it; the web UI calling both) and
# measures them with `wrk -t2 -c8 --latency` (Debian's package, installed when missing):
#
#   W2  the staff ticket list: the web UI's HTML page, and each REST list case (filters,
#       search words and phrases, a ticket number, page 100)
#   W3  the staff ticket page (HTML) of ticket 1, which has a two-message thread
#   W4  the analytics service's three answers
#   W1  reporting a ticket through the API (bench/create_ticket.lua); run last, so the read
#       cases see the imported data set only
#
# and reports the analytics service's catch-up time from empty, each service's memory (PSS) once
# idle after the load, the database size, the import rate, the load average and the machine.
#
# Usage: bench/run.sh [SIZE] [BACKEND]
#   SIZE     number of tickets (default 100000)
#   BACKEND  sqlite (default: a file in a temporary folder) or postgres
#
# Environment:
#   CAMPUSDESK_BENCH_SECONDS       seconds per case (default 10)
#   CAMPUSDESK_BENCH_POSTGRES_URL  postgres only: a URL naming a database the script may drop and
#                                  create (default postgres://postgres@127.0.0.1:5432/campusdesk_bench)
#   CARGO_TARGET_DIR               where the release build goes, as for cargo
#   CAMPUSDESK_BIN                 a campusdesk binary to run instead of building the release one.
#                                  CI passes its debug build to check that the harness works without
#                                  a second (release) build; such figures measure nothing else
#
# Writes one Markdown table and the other figures to stdout, progress to stderr; the figures in
# bench/README.md come from it. Exits non-zero when a check fails or a case got errors (answers
# other than 2xx/3xx, socket errors). Every process it starts is stopped on every exit path.
set -euo pipefail
shopt -s inherit_errexit

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${CAMPUSDESK_BENCH_SECONDS:-10}
postgres_url=${CAMPUSDESK_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/campusdesk_bench}
staff_cookie='Cookie: campusdesk_role=staff'
staff_header='X-Campusdesk-Role: staff'
# The web UI's cases ask for compressed pages, as every browser does.
browser_encoding='Accept-Encoding: gzip'

declare -A pid=() url=()
stop_order=(wrk web analytics tickets)
failures=()
work=""
# The services' logs are read as files: no colours.
export NO_COLOR=1
# wrk writes from one address thousands of times a second: the rate limits per client address
# (docs/operations.md, "Limits") would measure the limiter, not the services.
export CAMPUSDESK_WRITE_LIMIT=0 CAMPUSDESK_CLASSIFY_LIMIT=0 CAMPUSDESK_SESSION_LIMIT=0

log() { echo "bench: $*" >&2; }
die() {
    log "$*"
    exit 1
}
now() { date +%s.%N; }
# Prints A - B for two `now` values, in seconds with two decimals.
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.2f}')" "$1" "$2"; }
# Reads a JSON document on stdin and prints the value at a dotted path (`a.b`, `list.0.c`).
json() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value)' "$1"
}

# poll WHAT SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds; fails the run when
# it has not succeeded within SECONDS.
poll() {
    local what=$1 limit=$2
    shift 2
    local deadline=$(($(date +%s) + limit))
    until "$@"; do
        (($(date +%s) < deadline)) || die "gave up waiting for $what after ${limit} s"
        sleep 0.05
    done
}

# Fails the run when the service NAME's process has ended.
alive() {
    kill -0 "${pid[$1]}" 2>/dev/null || die "the $1 service stopped (its log follows)"
}

# Succeeds when GET URL answers 2xx, while failing the run if the service NAME died.
answers() {
    alive "$1"
    curl -sf -o /dev/null "$2"
}

stop_services() {
    local name
    for name in "${stop_order[@]}"; do
        if [ -n "${pid[$name]:-}" ]; then kill "${pid[$name]}" 2>/dev/null || true; fi
    done
    for name in "${stop_order[@]}"; do
        [ -n "${pid[$name]:-}" ] || continue
        # Graceful stop within 10 s, else SIGKILL.
        local deadline=$(($(date +%s) + 10))
        while kill -0 "${pid[$name]}" 2>/dev/null && (($(date +%s) < deadline)); do sleep 0.05; done
        kill -9 "${pid[$name]}" 2>/dev/null || true
        wait "${pid[$name]}" 2>/dev/null || true
        unset "pid[$name]"
    done
}

cleanup() {
    local status=$?
    stop_services
    if [ "$status" -ne 0 ] && [ -n "$work" ]; then
        for name in tickets analytics web; do
            [ -s "$work/$name.log" ] && { log "last lines of the $name service's log:"; tail -n 5 "$work/$name.log" >&2; }
        done
    fi
    [ -n "$work" ] && rm -rf "$work"
    exit "$status"
}

install_wrk() {
    command -v wrk >/dev/null && return
    log "installing wrk (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

build() {
    if [ -n "${CAMPUSDESK_BIN:-}" ]; then
        bin=$CAMPUSDESK_BIN
        [ -x "$bin" ] || die "CAMPUSDESK_BIN=$bin is not an executable"
        log "using $bin (not the release build: the figures only show that the harness works)"
        return
    fi
    log "building the release binary"
    (cd "$root" && cargo build --release --quiet)
    local target
    target=$(cd "$root" && cargo metadata --format-version 1 --no-deps | json target_directory)
    bin="$target/release/campusdesk"
}

# Sets database_url to an empty database of BACKEND.
fresh_database() {
    case "$backend" in
        sqlite) database_url="sqlite://$work/bench.db" ;;
        postgres)
            command -v psql >/dev/null || die "psql is needed for the postgres backend"
            database_url=$postgres_url
            pg_admin="${postgres_url%/*}/postgres"
            pg_database="${postgres_url##*/}"
            psql "$pg_admin" -qc "DROP DATABASE IF EXISTS \"$pg_database\" WITH (FORCE)" \
                -c "CREATE DATABASE \"$pg_database\"" >/dev/null
            ;;
    esac
}

# start_service NAME SUBCOMMAND ARGS...: starts `campusdesk SUBCOMMAND --addr 127.0.0.1:0 ARGS`
# and sets pid[NAME] and url[NAME] from the line it prints once it listens.
start_service() {
    local name=$1
    shift
    "$bin" "$1" --addr 127.0.0.1:0 "${@:2}" >"$work/$name.out" 2>"$work/$name.log" &
    pid[$name]=$!
    poll "the $name service to listen" 30 listening "$name"
    url[$name]=$(sed -n 's/.* listening on //p' "$work/$name.out" | head -n 1)
}
listening() {
    alive "$1"
    grep -q ' listening on ' "$work/$1.out"
}

import_tickets() {
    log "writing $size tickets and importing them"
    python3 "$root/bench/make_tickets.py" "$size" "$work/csv" 20000
    local started ended file
    started=$(now)
    for file in "$work"/csv/*.csv; do
        "$bin" import --tickets-url "${url[tickets]}" "$file" >/dev/null
    done
    ended=$(now)
    import_rate=$(python3 -c "import sys; print(round(int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))" \
        "$size" "$started" "$ended")
}

# Starts the analytics service on the loaded database and times its first catch-up with the
# change feed: from the start of the process until its /healthz answers 200.
start_analytics() {
    local started
    started=$(now)
    start_service analytics analytics --tickets-url "${url[tickets]}"
    poll "the analytics service to catch up" 600 answers analytics "${url[analytics]}/healthz"
    catch_up_seconds=$(elapsed "$(now)" "$started")
    catch_up_cursor=$(curl -sf "${url[analytics]}/healthz" | json cursor)
}

# Succeeds when the ticket service has no change after the analytics service's cursor.
analytics_at_head() {
    alive tickets
    alive analytics
    local cursor
    cursor=$(curl -sf "${url[analytics]}/healthz" | json cursor) || return 1
    [ "$(curl -sf -H "$staff_header" "${url[tickets]}/api/v1/changes?after=$cursor&limit=1" | json changes)" = "[]" ]
}

# expect_page WHAT TEXT URL [CURL ARGS...]: fails the run unless URL answers 200 with TEXT in
# the body, so that no case measures an error page or a redirect.
expect_page() {
    local what=$1 text=$2 target=$3
    shift 3
    local status
    status=$(curl -s --compressed -o "$work/page" -w '%{http_code}' "$@" "$target")
    [ "$status" = 200 ] || die "$what: $target answered $status, not 200"
    grep -qF -- "$text" "$work/page" || die "$what: $target does not contain \"$text\""
}

check_cases() {
    local ticket
    ticket=$(curl -sf -H "$staff_header" "${url[tickets]}/api/v1/tickets/1")
    [ "$(json message_count <<<"$ticket")" -ge 2 ] || die "ticket 1 has no thread (make_tickets.py changed?)"
    ticket_title=$(json title <<<"$ticket")
    expect_page "W2 web staff list" 'href="/tickets/' "${url[web]}/tickets" -H "$staff_cookie"
    expect_page "W3 web staff ticket page" "$ticket_title" "${url[web]}/tickets/1" -H "$staff_cookie"
    expect_page "W4 unclosed" '"count"' "${url[analytics]}/api/v1/analytics/unclosed?days=7"
    expect_page "W4 resolution time" '"months"' "${url[analytics]}/api/v1/analytics/resolution-time"
    expect_page "W4 active by category" '"categories"' "${url[analytics]}/api/v1/analytics/active-by-category"
}

# The cursor of page 100 of the staff list (25 tickets a page, as the web UI shows them).
page_100_cursor() {
    local cursor=""
    for _ in $(seq 1 99); do
        cursor=$(curl -sf -H "$staff_header" "${url[tickets]}/api/v1/tickets?limit=25${cursor:+&cursor=$cursor}" |
            json next_cursor)
    done
    echo "$cursor"
}

# measure NAME TARGET [WRK ARGS...]: runs wrk on TARGET and prints a table row; answers other
# than 2xx/3xx and socket errors are recorded in `failures`.
measure() {
    local name=$1 target=$2
    shift 2
    local out rps p50 p99 bad sockets
    # In the background, so that a signal to this script stops the run at once.
    wrk -t2 -c8 -d"${seconds}s" --latency "$@" "$target" >"$work/wrk.out" &
    pid[wrk]=$!
    wait "${pid[wrk]}"
    unset "pid[wrk]"
    out=$(<"$work/wrk.out")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    last_requests=$(awk '/ requests in / {print $1}' <<<"$out")
    bad=$(awk '/Non-2xx or 3xx responses/ {print $NF}' <<<"$out")
    sockets=$(grep 'Socket errors' <<<"$out" || true)
    [ -z "$bad" ] || failures+=("$name: $bad of $last_requests answers were not 2xx/3xx")
    [ -z "$sockets" ] || failures+=("$name: $sockets")
    echo "| $name | $rps | $p50 | $p99 |"
    alive tickets
    alive analytics
    alive web
}

measure_reads() {
    local api="${url[tickets]}/api/v1/tickets?limit=25"
    local analytics="${url[analytics]}/api/v1/analytics"
    local cursor
    cursor=$(page_100_cursor)
    log "measuring the read cases, ${seconds} s each"
    measure "W2 web: staff list page (HTML)" "${url[web]}/tickets" -H "$staff_cookie" -H "$browser_encoding"
    measure "W2 API list: default (newest first)" "$api" -H "$staff_header"
    measure "W2 API list: status=open" "$api&status=open" -H "$staff_header"
    measure "W2 API list: category=it" "$api&category=it" -H "$staff_header"
    measure "W2 API list: filter matching nothing (closed services)" "$api&status=closed&category=services" -H "$staff_header"
    measure "W2 API list: rare word (zeppelin)" "$api&q=zeppelin" -H "$staff_header"
    measure "W2 API list: common word (printer)" "$api&q=printer" -H "$staff_header"
    measure "W2 API list: phrase (\"no heating\")" "$api&q=%22no%20heating%22" -H "$staff_header"
    measure "W2 API list: ticket number (#4242)" "$api&q=%234242" -H "$staff_header"
    measure "W2 API list: word only in a message (photocopier)" "$api&q=photocopier" -H "$staff_header"
    measure "W2 API list: page 100" "$api&cursor=$cursor" -H "$staff_header"
    measure "W3 web: staff ticket page, ticket 1 (HTML)" "${url[web]}/tickets/1" -H "$staff_cookie" -H "$browser_encoding"
    measure "W4 analytics: unclosed, last 7 days" "$analytics/unclosed?days=7"
    measure "W4 analytics: resolution time by month" "$analytics/resolution-time"
    measure "W4 analytics: active per category" "$analytics/active-by-category"
    load_reads=$(cut -d' ' -f1-3 /proc/loadavg)
}

measure_writes() {
    log "measuring W1 (creates tickets), ${seconds} s"
    measure "W1 API: report a ticket (POST, run last)" "${url[tickets]}/api/v1/tickets" \
        -s "$root/bench/create_ticket.lua"
    created=$last_requests
}

mib() { awk -v kib="$1" 'BEGIN {printf "%.1f", kib / 1024}'; }

database_size() {
    case "$backend" in
        sqlite)
            local db wal
            db=$(stat -c %s "$work/bench.db")
            wal=$(stat -c %s "$work/bench.db-wal" 2>/dev/null || echo 0)
            echo "$(mib $((db / 1024))) MiB file + $(mib $((wal / 1024))) MiB WAL (SQLite)"
            ;;
        postgres)
            local bytes
            bytes=$(psql "$postgres_url" -Atc 'SELECT pg_database_size(current_database())')
            echo "$(mib $((bytes / 1024))) MiB (PostgreSQL, pg_database_size)"
            ;;
    esac
}

# PSS of each service in MiB, and their total.
memory() {
    local name kib total=0 line=""
    for name in tickets analytics web; do
        kib=$(awk '/^Pss:/ {print $2}' "/proc/${pid[$name]}/smaps_rollup")
        total=$((total + kib))
        line+="$name $(mib "$kib"), "
    done
    echo "${line}total $(mib "$total")"
}

report() {
    echo
    echo "W1 ran last, on the same database, after every read case (those saw the $size imported tickets only); it created $created tickets."
    echo "import: $import_rate tickets/s through \`campusdesk import\` (20,000-row files, categories given)"
    echo "analytics catch-up from empty: $catch_up_seconds s (process start to /healthz 200; feed cursor $catch_up_cursor)"
    echo "memory, PSS in MiB, idle after the load: $memory_line"
    echo "database as imported (before W1): $database_line"
    echo "load average: $load_reads after the read cases, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "machine: $(date -u +%Y-%m-%dT%H:%MZ), nproc $(nproc), CPU $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
    if [ "${#failures[@]}" -gt 0 ]; then
        echo
        printf 'ERROR: %s\n' "${failures[@]}"
        return 1
    fi
}

main() {
    case "${1:-}" in -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        return
        ;;
    esac
    size=${1:-100000}
    backend=${2:-sqlite}
    [[ "$size" =~ ^[1-9][0-9]*$ ]] || die "SIZE must be a positive whole number, not \"$size\""
    [[ "$backend" =~ ^(sqlite|postgres)$ ]] || die "BACKEND is sqlite or postgres, not \"$backend\""
    [ "$size" -ge 4242 ] || log "SIZE under 4242: the ticket number case finds nothing"

    work=$(mktemp -d)
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    install_wrk
    build
    fresh_database
    start_service tickets tickets --database-url "$database_url"
    poll "the ticket service's /healthz" 30 answers tickets "${url[tickets]}/healthz"
    import_tickets
    start_analytics
    start_service web web --tickets-url "${url[tickets]}" --analytics-url "${url[analytics]}"
    poll "the web UI's /healthz" 30 answers web "${url[web]}/healthz"
    check_cases

    echo "| case ($size tickets, $backend, wrk -t2 -c8, ${seconds} s) | req/s | p50 | p99 |"
    echo "| --- | --- | --- | --- |"
    measure_reads
    database_line=$(database_size)
    measure_writes
    poll "the analytics service to follow W1's tickets" 120 analytics_at_head
    memory_line=$(memory)
    report
}

main "$@"
