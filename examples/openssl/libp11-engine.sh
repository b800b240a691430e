#!/usr/bin/env bash
# OpenSSL 3 using a private key that never leaves the PKCS#11 token, through the libp11 engine.
#
#   MODULE=dist/libjhsm.so TOKEN=demo PIN=user12345678 KEY=demo-ec examples/openssl/libp11-engine.sh [OUTDIR]
#
# Needs an initialised token holding a key pair labelled $KEY (e.g. made by
#   pkcs11-tool --module $MODULE --token-label $TOKEN --login --pin $PIN \
#               --keypairgen --key-type EC:prime256v1 --label $KEY --id 01 ).
# Debian 12 packages: openssl, libengine-pkcs11-openssl.
set -euo pipefail
: "${MODULE:?set MODULE to the PKCS#11 module}" "${TOKEN:?set TOKEN to the token label}"
: "${PIN:?set PIN to the user PIN}" "${KEY:?set KEY to the key label}"
out="${1:-.}"
mkdir -p "$out"
engine=/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so
key_uri="pkcs11:token=$TOKEN;object=$KEY;type=private?pin-value=$PIN"

# 1. An openssl.cnf that tells the libp11 engine which PKCS#11 module to load
#    (alternatively: export PKCS11_MODULE_PATH=$MODULE).
cat > "$out/engine.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engine
MODULE_PATH = $(realpath "$MODULE")
init = 0
CNF
with_engine() { OPENSSL_CONF="$out/engine.cnf" openssl "$@"; }

# 2. A self-signed certificate whose signature is made inside the token.
with_engine req -new -x509 -sha256 -days 30 -subj "/CN=$KEY" \
    -engine pkcs11 -keyform engine -key "$key_uri" -out "$out/$KEY.crt.pem"
echo "certificate: $out/$KEY.crt.pem"
openssl x509 -in "$out/$KEY.crt.pem" -noout -subject -issuer -enddate

# 3. Plain OpenSSL (no engine, no token) checks it.
openssl verify -CAfile "$out/$KEY.crt.pem" "$out/$KEY.crt.pem"

# 4. Sign a file's SHA-256 digest with the token key; verify with the certificate's public key.
echo "data signed by $KEY at $(date -u +%FT%TZ)" > "$out/message.txt"
openssl dgst -sha256 -binary -out "$out/message.sha256" "$out/message.txt"
with_engine pkeyutl -sign -engine pkcs11 -keyform engine -inkey "$key_uri" \
    -in "$out/message.sha256" -out "$out/message.sig"
openssl x509 -in "$out/$KEY.crt.pem" -noout -pubkey > "$out/$KEY.pub.pem"
openssl pkeyutl -verify -pubin -inkey "$out/$KEY.pub.pem" -in "$out/message.sha256" -sigfile "$out/message.sig"
