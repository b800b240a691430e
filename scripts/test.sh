#!/usr/bin/env bash
# The project's test command: every unit test of every module, then the integration tests that drive the
# PKCS#11 module with real consumers (pkcs11-tool, OpenSSL + libp11, SunPKCS11).
#
#   scripts/test.sh                      test dist/libjhsm.so (built by this same Maven run)
#   scripts/test.sh --module PATH        run the integration tests against another module, e.g.
#                                        /usr/lib/softhsm/libsofthsm2.so
#   scripts/test.sh -- MAVEN_ARGS...     extra arguments for Maven (e.g. -- -Dtest='PkcsTool*')
set -euo pipefail
cd "$(dirname "$0")/.."

module=""
maven_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --module) module="${2:?--module needs a path}"; shift 2 ;;
    --module=*) module="${1#--module=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    --) shift; maven_args+=("$@"); break ;;
    *) echo "test.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

# Debian packages the integration tests call, plus libsqlite3-0, which the token store loads at run time,
# libp11-kit-dev, whose PKCS#11 header the C test programs (HostileInputTest, HostSignalHandlerTest) compile
# against, and golang-go, which builds the cgo host of GoHostTest (standard library only, nothing downloaded).
# make, libssl-dev, libnghttp2-dev, libprotobuf-c-dev, protobuf-c-compiler and python3 build the native client
# dist/libjhsm-client.so; nginx-light and curl are the forking web server of its TLS-offload test.
. "$(dirname "$0")/lib/debian-packages.sh"
require_debian_packages test.sh libsqlite3-0 opensc softhsm2 libengine-pkcs11-openssl gnutls-bin libnss3-tools \
  p11-kit libp11-kit-dev python3-pykcs11 openssl golang-go \
  make libssl-dev libnghttp2-dev libprotobuf-c-dev protobuf-c-compiler python3 nginx-light curl
for tool in java mvn gcc; do
  command -v "$tool" >/dev/null || { echo "test.sh: '$tool' not found (needs JDK 17+, Maven, gcc)" >&2; exit 1; }
done

if [ -n "$module" ]; then
  module="$(cd "$(dirname "$module")" && pwd)/$(basename "$module")"
  [ -f "$module" ] || { echo "test.sh: --module $module: no such file" >&2; exit 1; }
  maven_args=("-Djhsm.module=$module" "${maven_args[@]}")
  echo "==> integration tests will use $module"
fi

# -ntp keeps download noise out of the log; Surefire's "Tests run: ..." summaries still print per module.
exec mvn -B -ntp verify "${maven_args[@]}"
