#!/bin/sh
# Runs net_driver against a node: the one JHSM_CONF names, else one started here as the tests start it
# (dist/jhsm cluster up --hsms 1 --quick-start in a temp directory, cluster down after). Then against hostile HSMs
# (hostile_h2.py): each answer must be an error CK_RV within the call's deadline, never a crash or a hang.
set -eu
driver=$1
dist=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/jhsm-check-net-XXXXXX)
cleanup() {
    if [ -n "${started:-}" ]; then "$dist/jhsm" cluster down --dir "$dir/node" >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
if [ -n "${JHSM_CONF:-}" ]; then
    timeout 120 "$driver"
else
    started=1
    timeout 300 "$dist/jhsm" cluster up --hsms 1 --dir "$dir/node" --quick-start --admin-password Admin-pass-1 \
        --crypto-user alice:alice-pass-1 >"$dir/up.log" 2>&1 || { cat "$dir/up.log"; exit 1; }
    JHSM_CONF=$dir/node/client.conf timeout 120 "$driver"
fi

cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=hostile-ca \
    -keyout ca.key -out ca.crt 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=hostile-hsm \
    -keyout hsm.key -out hsm.csr 2>/dev/null
openssl x509 -req -days 1 -in hsm.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out hsm.crt 2>/dev/null
failed=0
# scenario, the C_GetInfo CK_RV it must give (RESOURCE_EXHAUSTED -> CKR_ARGUMENTS_BAD, the rest CKR_DEVICE_ERROR)
# and what its log line must say
for case in "huge:0x7:RESOURCE_EXHAUSTED" "reset:0x30:reset the call's HTTP/2 stream" \
    "garbage:0x30:broke the HTTP/2 protocol" "silent:0x30:DEADLINE_EXCEEDED" "badproto:0x30:not a jhsm.v1.Response"; do
    scenario=${case%%:*}
    rest=${case#*:}
    want=${rest%%:*}
    says=${rest#*:}
    rm -f port
    python3 "$here/hostile_h2.py" hsm.crt hsm.key port "$scenario" &
    server=$!
    i=0
    while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    printf 'hsms = 127.0.0.1:%s\nhsm-ca-cert = ca.crt\ndiscovery = off\ncall-timeout-ms = 2000\nconnect-timeout-ms = 5000\n' \
        "$(cat port)" >hostile.conf
    rm -f hostile.log
    got=$(JHSM_CONF=$dir/hostile.conf JHSM_LOG=$dir/hostile.log timeout 30 "$driver" getinfo || echo "exit $?")
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    if [ "$got" = "getinfo net=$want" ] && grep -q "$says" hostile.log; then
        echo "hostile HSM ($scenario): $got ok"
    else
        echo "hostile HSM ($scenario): $got FAILED (want $want and a line saying $says)"
        sed 's/^/  log: /' hostile.log
        failed=1
    fi
done
exit $failed
