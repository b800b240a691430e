#!/bin/sh
# Runs net_driver against a node: the one JHSM_CONF names, else one started here as the tests start it
# (dist/jhsm cluster up --hsms 1 --quick-start in a temp directory, cluster down after).
set -eu
driver=$1
dist=$2
if [ -n "${JHSM_CONF:-}" ]; then
    exec "$driver"
fi
dir=$(mktemp -d /tmp/jhsm-check-net-XXXXXX)
trap '"$dist/jhsm" cluster down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
timeout 300 "$dist/jhsm" cluster up --hsms 1 --dir "$dir" --quick-start --admin-password Admin-pass-1 \
    --crypto-user alice:alice-pass-1 >"$dir/up.log" 2>&1 || { cat "$dir/up.log"; exit 1; }
JHSM_CONF=$dir/client.conf timeout 120 "$driver"
