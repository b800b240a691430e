#!/usr/bin/env bash
# The per-primitive tables of docs/performance/primitives*.md (issue 16): each primitive as jhsm's mechanism
# runs it, portable (Bouncy Castle / JDK) against ACCP (AWS-LC), in one JVM. Builds softhsm-engine's test
# classes, then runs every timing main present in io.jhsm.engine.timing:
#   EcDigestMacTimings  (EC, digests, MAC, KDF)      RsaAesTimings (RSA, AES) when it exists
#
#   scripts/primitive-timings.sh                 500 ms rounds, best of 3 after a warm-up round
#   scripts/primitive-timings.sh -Dtimings.ms=1000 -Dtimings.rounds=5     (JVM options go to every main)
# Set JAVA_HOME to time another JDK (e.g. /usr/lib/jvm/temurin-25-jdk-amd64). Quiet machine: the table is
# only as good as the load on the cores; never run it beside a test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -ntp -q -pl softhsm-engine -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
cp="softhsm-engine/target/test-classes:softhsm-engine/target/classes:$(cat "$cp_file")"
ran=0
for main in EcDigestMacTimings RsaAesTimings; do
  if [ -f "softhsm-engine/target/test-classes/io/jhsm/engine/timing/$main.class" ]; then
    echo "## $main"
    "$java" --enable-native-access=ALL-UNNAMED "$@" -cp "$cp" "io.jhsm.engine.timing.$main"
    echo
    ran=1
  fi
done
[ "$ran" = 1 ] || { echo "primitive-timings.sh: no timing main found" >&2; exit 1; }
