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
    mtls_node=$dir/node
fi

# expect CONF RV TEXT WHAT [DRIVER_ARGS]: C_GetInfo through CONF gives RV and the client's log says TEXT
expect() {
    rm -f "$dir/expect.log"
    # shellcheck disable=SC2086
    got=$(JHSM_CONF=$1 JHSM_LOG=$dir/expect.log timeout 60 "$driver" getinfo ${5:-} || echo "exit $?")
    if [ "$got" = "getinfo net=$2" ] && { [ -z "$3" ] || grep -q "$3" "$dir/expect.log"; }; then
        echo "$4: $got ok"
    else
        echo "$4: $got FAILED (want $2 and a line saying $3)"
        sed 's/^/  log: /' "$dir/expect.log" 2>/dev/null || true
        failed=1
    fi
}
failed=0

cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=hostile-ca \
    -keyout ca.key -out ca.crt 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=hostile-hsm \
    -keyout hsm.key -out hsm.csr 2>/dev/null
openssl x509 -req -days 1 -in hsm.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out hsm.crt 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=another-ca \
    -keyout other.key -out other.crt 2>/dev/null
# Mutual TLS on the node started here (cluster mtls, as CloudHSM): refusals read in TlsFailures' words.
if [ -n "${mtls_node:-}" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=client-ca \
        -keyout clientCA.key -out clientCA.crt 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=app -keyout client.key \
        -out client.csr 2>/dev/null
    openssl x509 -req -days 1 -in client.csr -CA clientCA.crt -CAkey clientCA.key -CAcreateserial -out client.crt 2>/dev/null
    for step in "register-trust-anchor --path $dir/clientCA.crt" "set-enforcement --level cluster"; do
        # shellcheck disable=SC2086
        JHSM_CONF=$mtls_node/client.conf "$dist/jhsm" cluster mtls $step --login admin:Admin-pass-1 --login-role admin \
            >/dev/null || { echo "cluster mtls $step FAILED"; exit 1; }
    done
    printf 'client-cert = %s/client.crt\nclient-key = %s/client.key\n' "$dir" "$dir" | cat "$mtls_node/client.conf" - >"$mtls_node/mtls.conf"
    printf 'client-cert = %s/hsm.crt\nclient-key = %s/hsm.key\n' "$dir" "$dir" | cat "$mtls_node/client.conf" - >"$mtls_node/stranger.conf"
    expect "$mtls_node/client.conf" 0x30 "this client presented no certificate" "mTLS enforced, no certificate"
    expect "$mtls_node/mtls.conf" 0x0 "" "mTLS enforced, a registered CA's certificate"
    expect "$mtls_node/stranger.conf" 0x30 "refused the client certificate" "mTLS enforced, another CA's certificate"
fi

# scenario, the C_GetInfo CK_RV it must give (RESOURCE_EXHAUSTED -> CKR_ARGUMENTS_BAD, the rest CKR_DEVICE_ERROR)
# and what its log line must say
for case in "huge:0x7:RESOURCE_EXHAUSTED" "reset:0x30:reset the call's HTTP/2 stream" \
    "garbage:0x30:broke the HTTP/2 protocol" "silent:0x30:DEADLINE_EXCEEDED" "badproto:0x30:not a jhsm.v1.Response" \
    "rst:0x30:connection lost" "wrongca:0x30:not issued by the trust anchor" "ping:0x0:" "ping-nothreads:0x30:reset"; do
    scenario=${case%%:*}
    rest=${case#*:}
    want=${rest%%:*}
    says=${rest#*:}
    rm -f port
    # wrongca: a silent HSM whose certificate hsm-ca-cert does not vouch for (C_Initialize refuses it at once)
    ca=ca.crt
    [ "$scenario" = wrongca ] && ca=other.crt
    # ping: the background thread must answer an idle connection's PING (without it, nothing reads until the call)
    threads=nothreads
    [ "$scenario" = ping ] && threads=threads
    python3 "$here/hostile_h2.py" hsm.crt hsm.key port "${scenario%-nothreads}" 2>/dev/null &
    server=$!
    i=0
    while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    printf 'hsms = 127.0.0.1:%s\nhsm-ca-cert = %s\ndiscovery = off\ncall-timeout-ms = 2000\nconnect-timeout-ms = 5000\n' \
        "$(cat port)" "$ca" >hostile.conf
    # without the background thread, so the call itself meets what the HSM did (rst: a write to a reset socket)
    expect "$dir/hostile.conf" "$want" "$says" "hostile HSM ($scenario)" "$threads idle"
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
done
exit $failed
