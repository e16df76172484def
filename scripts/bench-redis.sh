#!/bin/sh
# redis-benchmark against miniredis-search and a stock redis-server, side by
# side, unpipelined and with -P 16; prints requests/s and ours/redis.
# TESTS are redis-benchmark -t names, run in that order on both servers on
# redis-benchmark's own keys: lpop pops the elements lpush pushed (as many
# requests each); sadd adds one member (element:__rand_int__ without -r), so
# spop pops it once, then gets nil replies from the emptied key (no error).
# A few tests redis-benchmark 7.0 has no -t name for run as commands:
# zrange reads the first 10 of a 100-member sorted set, xadd appends to a
# stream (one entry per request, `*` ids), evalsha runs a loaded script
# that GETs a key.
#
# An error reply must not pass for throughput. redis-benchmark 7 exits 1 at
# the first one (its stderr and status were discarded here before); older
# ones count it as a request done. So each test runs alone after CONFIG
# RESETSTAT, its exit status is checked, and the server's
# total_error_replies (INFO stats) is read after it. A test with error
# replies, or whose redis-benchmark failed, shows ERRORS instead of a rate,
# the errors are listed, and the script exits 1.
set -e
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-50}
REQUESTS=${REQUESTS:-200000}
TESTS=${TESTS:-ping_mbulk,set,get,hset,lpush,lpop,sadd,spop,zadd,zrange,xadd,evalsha}
OURS_PORT=${OURS_PORT:-16379}
REDIS_PORT=${REDIS_PORT:-16380}

go build -o bin/miniredis-search ./cmd/miniredis-search
tmp=$(mktemp -d)
cleanup() {
	kill "$ours_pid" "$redis_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# A server already listening on one of the ports is somebody else's: it is
# neither benchmarked nor reset.
for port in "$OURS_PORT" "$REDIS_PORT"; do
	if redis-cli -p "$port" ping >/dev/null 2>&1; then
		echo "port $port is taken: set OURS_PORT and REDIS_PORT to free ports"
		exit 1
	fi
done
# The stock server: redis-server, or else the Redis executable that
# redis-tools ships as redis-check-rdb, run under the name redis-server
# (Redis' main picks its role from argv[0]); make deps installs only
# redis-tools, which has no system service.
redis_server=$(command -v redis-server || true)
if [ -z "$redis_server" ]; then
	rdb=$(command -v redis-check-rdb) || { echo "neither redis-server nor redis-check-rdb (redis-tools) is installed"; exit 1; }
	ln -s "$rdb" "$tmp/redis-server"
	redis_server="$tmp/redis-server"
fi

./bin/miniredis-search --port "$OURS_PORT" --loglevel warning >"$tmp/ours.log" 2>&1 &
ours_pid=$!
"$redis_server" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >"$tmp/redis.log" 2>&1 &
redis_pid=$!
for port in "$OURS_PORT" "$REDIS_PORT"; do
	i=0
	until redis-cli -p "$port" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "server on $port did not start"; cat "$tmp"/*.log; exit 1; }
		sleep 0.1
	done
done
# Both servers are ours, not a server that took a port after the check.
kill -0 "$ours_pid" "$redis_pid" 2>/dev/null || { echo "a server exited at startup"; cat "$tmp"/*.log; exit 1; }

# bench port test pipeline: prints the requests/s of one test, or ERRORS
# (error replies counted by the server, or redis-benchmark failed); the
# details go to $tmp/errors.
bench() {
	case "$2" in
	zrange)
		redis-cli -p "$1" del bench:z >/dev/null
		redis-cli -p "$1" zadd bench:z $(seq 1 100 | awk '{ printf "%d m%d ", $1, $1 }') >/dev/null
		set -- "$1" "$2" "$3" ZRANGE bench:z 0 9
		;;
	xadd)
		redis-cli -p "$1" del bench:x >/dev/null
		set -- "$1" "$2" "$3" XADD bench:x '*' field value
		;;
	evalsha)
		redis-cli -p "$1" set bench:k v >/dev/null
		sha=$(redis-cli -p "$1" script load "return redis.call('GET', KEYS[1])")
		set -- "$1" "$2" "$3" EVALSHA "$sha" 1 bench:k
		;;
	*)
		set -- "$1" "$2" "$3" -t "$2"
		;;
	esac
	port=$1 test=$2 pipeline=$3
	shift 3
	redis-cli -p "$port" config resetstat >/dev/null
	if ! redis-benchmark -p "$port" -c "$CLIENTS" -n "$REQUESTS" -P "$pipeline" --csv "$@" >"$tmp/out.csv" 2>"$tmp/err.txt"; then
		echo "port $port, $test, pipeline $pipeline: redis-benchmark failed: $(cat "$tmp/err.txt")" >>"$tmp/errors"
		echo ERRORS
		return
	fi
	errors=$(redis-cli -p "$port" info stats | tr -d '\r' | awk -F: '$1 == "total_error_replies" { print $2 }')
	# The CSV row of the test, after its header.
	rps=$(grep '^"' "$tmp/out.csv" | grep -v '^"test"' | head -n 1 | tr -d '"' | cut -d, -f2)
	if [ -z "$errors" ] || [ -z "$rps" ]; then
		echo "port $port, $test, pipeline $pipeline: no total_error_replies ($errors) or no rate ($rps)" >>"$tmp/errors"
		echo ERRORS
	elif [ "$errors" -gt 0 ]; then
		echo "port $port, $test, pipeline $pipeline: $errors error replies: $(redis-cli -p "$port" info errorstats | tr -d '\r' | grep '^errorstat_' | tr '\n' ' ')" >>"$tmp/errors"
		echo ERRORS
	else
		echo "$rps"
	fi
}

: >"$tmp/errors"
printf '%-12s %-9s %14s %14s %8s\n' test pipeline "ours req/s" "redis req/s" ratio
for p in 1 16; do
	for t in $(echo "$TESTS" | tr ',' ' '); do
		ours=$(bench "$OURS_PORT" "$t" "$p")
		theirs=$(bench "$REDIS_PORT" "$t" "$p")
		awk -v t="$t" -v p="$p" -v a="$ours" -v b="$theirs" 'BEGIN {
			pl = (p == 1 ? "none" : "-P " p)
			if (a == "ERRORS" || b == "ERRORS") {
				printf "%-12s %-9s %14s %14s %8s\n", t, pl, a, b, "-"
			} else {
				printf "%-12s %-9s %14.0f %14.0f %8.2f\n", t, pl, a, b, a / b
			}
		}'
	done
done
if [ -s "$tmp/errors" ]; then
	echo
	echo "bench-redis: some requests were not served (ERRORS rows are no throughput):"
	cat "$tmp/errors"
	exit 1
fi
