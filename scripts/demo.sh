#!/usr/bin/env bash
# A guided tour of jhsm on a fresh, throw-away token: build, initialise the token and user PIN, generate an
# EC P-256 and an RSA-2048 key in it, sign a file in the token and verify with openssl, and make a
# self-signed certificate through OpenSSL's libp11 engine.
#
#   scripts/demo.sh                  build, then use dist/libjhsm.so
#   scripts/demo.sh --module PATH    use another PKCS#11 module (no build), e.g. /usr/lib/softhsm/libsofthsm2.so
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

module=""
while [ $# -gt 0 ]; do
  case "$1" in
    --module) module="${2:?--module needs a path}"; shift 2 ;;
    --module=*) module="${1#--module=}"; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

bold=$'\e[1m'; plain=$'\e[0m'
[ -t 1 ] || { bold=""; plain=""; }
n=0
step() { n=$((n + 1)); printf '\n%s== %d. %s%s\n' "$bold" "$n" "$*" "$plain"; }
run() { printf '$ %s\n' "$*"; "$@"; }
trap 'echo; echo "demo.sh: FAILED at step $n" >&2' ERR

# The demo drives jhsm with pkcs11-tool and OpenSSL's libp11 engine; the token store needs libsqlite3.
. "$repo/scripts/lib/debian-packages.sh"
require_debian_packages demo.sh libsqlite3-0 opensc openssl libengine-pkcs11-openssl

if [ -z "$module" ]; then
  step "Build jhsm (mvn -B -q -DskipTests package)"
  run mvn -B -q -DskipTests package
  module="$repo/dist/libjhsm.so"
fi
module="$(realpath "$module")"
[ -f "$module" ] || { echo "demo.sh: module $module not found" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/jhsm-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
label=demo so_pin=so12345678 pin=user12345678

step "A fresh token store in $work"
case "$(basename "$module")" in
  *softhsm*)
    mkdir -p "$work/tokens"
    printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" > "$work/softhsm2.conf"
    export SOFTHSM2_CONF="$work/softhsm2.conf"; echo "SOFTHSM2_CONF=$SOFTHSM2_CONF" ;;
  *)
    mkdir -p "$work/data"
    printf 'directory = %s\nslots = 1\n' "$work/data" > "$work/jhsm.conf"
    export JHSM_CONF="$work/jhsm.conf"; echo "JHSM_CONF=$JHSM_CONF"; cat "$JHSM_CONF" ;;
esac
p11() { run pkcs11-tool --module "$module" "$@"; }
user() { p11 --token-label "$label" --login --pin "$pin" "$@"; }

step "Initialise the token in slot 0 with an SO PIN, then set the user PIN"
p11 --init-token --slot 0 --label "$label" --so-pin "$so_pin"
p11 --token-label "$label" --init-pin --login --so-pin "$so_pin" --pin "$pin"
p11 --list-token-slots

step "Generate an EC P-256 key pair and an RSA-2048 key pair inside the token"
user --keypairgen --key-type EC:prime256v1 --label demo-ec --id 01
user --keypairgen --key-type rsa:2048 --label demo-rsa --id 02

step "Export the public keys (DER from the token, PEM for openssl)"
for id in 01 02; do
  user --read-object --type pubkey --id "$id" -o "$work/pub-$id.der"
  run openssl pkey -pubin -inform DER -in "$work/pub-$id.der" -out "$work/pub-$id.pem"
done

step "Sign a file in the token with RSA (SHA256-RSA-PKCS); verify with openssl"
echo "Hello from jhsm, $(date -u +%FT%TZ)" > "$work/hello.txt"
user --sign --id 02 --mechanism SHA256-RSA-PKCS -i "$work/hello.txt" -o "$work/hello.rsa.sig"
run openssl dgst -sha256 -verify "$work/pub-02.pem" -signature "$work/hello.rsa.sig" "$work/hello.txt"

step "Sign the same file in the token with ECDSA; verify with openssl"
if pkcs11-tool --module "$module" --token-label "$label" --list-mechanisms | grep -q '^ *ECDSA-SHA256,'; then
  user --sign --id 01 --mechanism ECDSA-SHA256 --signature-format openssl -i "$work/hello.txt" -o "$work/hello.ec.sig"
  run openssl dgst -sha256 -verify "$work/pub-01.pem" -signature "$work/hello.ec.sig" "$work/hello.txt"
else
  echo "(this module has no ECDSA-SHA256: hash with openssl, sign the digest with raw ECDSA in the token)"
  run openssl dgst -sha256 -binary -out "$work/hello.sha256" "$work/hello.txt"
  user --sign --id 01 --mechanism ECDSA --signature-format openssl -i "$work/hello.sha256" -o "$work/hello.ec.sig"
  run openssl pkeyutl -verify -pubin -inkey "$work/pub-01.pem" -in "$work/hello.sha256" -sigfile "$work/hello.ec.sig"
fi

step "Self-signed certificate with the token's EC key through OpenSSL's libp11 engine"
run env MODULE="$module" TOKEN="$label" PIN="$pin" KEY=demo-ec "$repo/examples/openssl/libp11-engine.sh" "$work/openssl"

step "What is in the token now"
user --list-objects

printf '\n%sDemo finished: every token operation above was verified by plain openssl.%s\n' "$bold" "$plain"
