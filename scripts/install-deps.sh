#!/bin/sh
# Installs what the tests need when it is missing: Debian's redis-tools
# (redis-cli, redis-benchmark, and the Redis executable itself as
# redis-check-rdb, which the tests run as their reference redis-server),
# python3-redis and python3-pytest (the redis-py tests), nodejs and npm with
# node-redis in integration/node/node_modules (the node-redis tests, `npm ci`
# from the committed package-lock.json), and the Go modules.
#
# It leaves the system's services alone: it never starts, stops, disables or
# restarts one (scripts/scripts_test.go asserts it). That is why it does not
# install Debian's redis-server package, which only adds a redis-server
# command and a system service that starts on port 6379 at once and at every
# boot: the tests start their own reference server on a free port, from
# redis-server when it is on PATH, else from redis-check-rdb.
set -e

missing=""
if ! command -v redis-cli >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1 ||
	{ ! command -v redis-server >/dev/null 2>&1 && ! command -v redis-check-rdb >/dev/null 2>&1; }; then
	missing="$missing redis-tools"
fi
# Debian's python3-* packages install for /usr/bin/python3, which is what the
# tests look for first.
if ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then missing="$missing python3-redis"; fi
if ! /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1; then missing="$missing python3-pytest"; fi
if ! command -v node >/dev/null 2>&1; then missing="$missing nodejs"; fi
if ! command -v npm >/dev/null 2>&1; then missing="$missing npm"; fi

if [ -n "$missing" ]; then
	echo "installing:$missing"
	SUDO=""
	if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# node-redis for integration/vector_node_test.go, when it is missing or older
# than the lock file. Run from the repository's root, as the Makefile does.
nodedir=integration/node
if [ ! -f "$nodedir/node_modules/redis/package.json" ] ||
	[ "$nodedir/package-lock.json" -nt "$nodedir/node_modules/.package-lock.json" ]; then
	if command -v npm >/dev/null 2>&1; then
		echo "installing: node-redis (npm ci in $nodedir)"
		(cd "$nodedir" && npm ci --no-audit --no-fund --loglevel=error)
	else
		echo "npm not found: $nodedir/node_modules not installed (the node-redis tests will skip, or fail in CI)"
	fi
fi

go mod download
