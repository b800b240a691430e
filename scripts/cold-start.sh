#!/usr/bin/env bash
# Cold load + C_Initialize of PKCS#11 modules: median of N fresh processes each (dist/p11bench --cold), on
# throw-away tokens. The modules take turns run by run, so a load that comes and goes on a shared machine
# weighs on all of them alike. Usage: scripts/cold-start.sh [-n RUNS] MODULE[@JAVA_HOME] ...
# MODULE@JAVA_HOME boots libjhsm.so's JVM from that JDK (JHSM_JAVA_HOME); the load average is printed too.
# Besides the wall time of load + C_Initialize it gives the CPU time (user + sys) of the whole process, all
# its threads, which a busy machine inflates far less than the wall time.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=15
if [ "${1:-}" = "-n" ]; then runs="$2"; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [-n RUNS] MODULE[@JAVA_HOME]..." >&2; exit 2; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
printf 'directory = %s/tokens\nslots = 1\n' "$tmp" > "$tmp/jhsm.conf"
mkdir -p "$tmp/softhsm"; printf 'directories.tokendir = %s/softhsm\n' "$tmp" > "$tmp/softhsm2.conf"
export JHSM_CONF="$tmp/jhsm.conf" SOFTHSM2_CONF="$tmp/softhsm2.conf"
cold() {   # MODULE[@JAVA_HOME] -> "wall-ms cpu-ms"
  local module="${1%@*}" jdk="" wall
  [[ "$1" == *@* ]] && jdk="${1#*@}"
  wall="$(JHSM_JAVA_HOME="${jdk:-${JHSM_JAVA_HOME:-}}" /usr/bin/time -f '%U %S' -o "$tmp/cpu" \
    "$here/dist/p11bench" --cold "$module")"
  awk -v ns="$wall" '{ printf "%.1f %.0f\n", ns / 1e6, ($1 + $2) * 1000 }' "$tmp/cpu"
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for m in "$@"; do cold "$m" > /dev/null; done   # page cache warm, as for a consumer's second run
for i in $(seq "$runs"); do
  for k in $(seq $#); do cold "${!k}" >> "$tmp/ms.$k"; done
done
for k in $(seq $#); do
  cpu="$(cut -d' ' -f2 "$tmp/ms.$k" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
  cut -d' ' -f1 "$tmp/ms.$k" | sort -n | awk -v m="${!k}" -v cpu="$cpu" '{ a[NR] = $1 } END {
    med = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%-64s median %6.1f ms  min %6.1f  max %6.1f  cpu %4d ms  (n=%d)\n", m, med, a[1], a[NR], cpu, NR }'
done
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
