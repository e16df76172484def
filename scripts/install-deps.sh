#!/bin/sh
# Installs what the tests need when it is missing: Debian's redis-server
# (the differential tests run it side by side), redis-tools (redis-cli,
# redis-benchmark), python3-redis and python3-pytest (the redis-py tests),
# and the Go modules.
set -e

missing=""
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
if ! command -v redis-cli >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1; then
	missing="$missing redis-tools"
fi
# Debian's python3-* packages install for /usr/bin/python3, which is what the
# tests look for first.
if ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then missing="$missing python3-redis"; fi
if ! /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1; then missing="$missing python3-pytest"; fi

if [ -n "$missing" ]; then
	echo "installing:$missing"
	SUDO=""
	if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
	# The package may start a redis-server on 6379: ours wants that port.
	if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
	$SUDO service redis-server stop >/dev/null 2>&1 || true
fi

go mod download
