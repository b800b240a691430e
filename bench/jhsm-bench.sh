#!/usr/bin/env bash
# jhsm bench: jhsm against another PKCS#11 module (SoftHSMv2), through the C ABI, on fresh throw-away tokens.
#
#   jhsm bench --against /usr/lib/softhsm/libsofthsm2.so [--rounds N] [--quick] [--best] [--out DIR] [--network]
#              [--only NAME,NAME] [--ms MS] [--objects N] [--object-rounds N] [--module PATH_TO_libjhsm.so]
#   jhsm bench --first-second --against MODULE [--rounds N] [--quick] [--best] [--out DIR] [--only ...] [--ms MS]
#   jhsm bench --chart-only --out DIR     (redraw DIR/ratio.png from DIR/results.csv, DIR/first-second.png too)
#   jhsm bench --cluster [--out DIR] [--objects N] [--ms MS] [--rounds N]   (no --against: the cluster alone)
#   jhsm bench --native-client --against MODULE [--rounds N] [--quick] [--ms MS] [--out DIR] [--only ...]
#   jhsm bench --matrix [--quick] [--out DIR] ...   (jhsm-bench-matrix.sh: both modes x JDK 17/25 x accp/portable)
#
# Writes DIR/results.md, DIR/results.csv and DIR/ratio.png (default DIR: ./bench-results). If DIR/README.md
# has the markers <!-- bench:begin --> and <!-- bench:end -->, the table between them is replaced too.
# --first-second writes DIR/first-second.md, .csv and .png instead: every round a fresh process per module runs
# each row once for 1 s (--ms) with no warm-up, as a short-lived consumer sees it (default 3 rounds, --quick 1 round
# of 200 ms rows, 200 token objects unless --objects). --best reports each module's best round, not the median.
# The jhsm crypto backend is stamped under the table: the "crypto_backend" field of `jhsm version --json` when it has one,
# else only what JHSM_CRYPTO requested (auto when unset).
# --network also runs the module against a local HSM node (`jhsm cluster up --quick-start` in a temp dir, torn
# down after; CloudHSM login "alice:password") and writes DIR/network.md and DIR/network.csv: round trip,
# signing with 1 and 4 threads, C_GenerateKey, cold load, beside the in-process module and the other one.
# --cluster runs clusters of 1, 2 and 3 HSMs (`jhsm cluster up --hsms N`, torn down after) and writes DIR/cluster.md
# and DIR/cluster.csv: ECDSA signing with a token key from 1 and 4 threads, token-key creation (each returns once a
# majority committed it) with 1 and 3 HSMs, and the time from `cluster fault kill` of an HSM holding N (10,000)
# token objects to its replacement serving, ACTIVE with lag 0 (waited for up to JHSM_BENCH_REPLACE_WAIT_S, 300 s);
# --native-client measures dist/libjhsm-client.so (the JVM-free network client) against a local node beside the JVM
# module in network mode, the JVM module in-process and the other module in-process: cold start (load + C_Initialize,
# and to the first session), C_GetSessionInfo, ECDSA P-256 sign, AES-GCM 1 KiB; writes DIR/native-client.md
# (costs and the native client's ratios) and DIR/native-local.csv, DIR/native-network.csv (jhsm-bench-native.sh).
# JHSM_BENCH_CLUSTER_HSMS (default "1 2 3") picks the cluster sizes of the throughput rows ("" for the replacement only). Needs jq.
# The JVM jhsm boots is the shim's choice: JHSM_JAVA_HOME, then JAVA_HOME, then the JDK it was built with;
# JHSM_JAVA_OPTS adds JVM options (e.g. a profiler). The chart needs gnuplot (installed when run as root).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
jhsm_module="$here/libjhsm.so"
against="" out="bench-results" bench_args=() chart_only=0 network=0 cluster=0 first_second=0 native_client=0
if [[ "${1:-}" == --matrix ]]; then shift; exec "$here/jhsm-bench-matrix.sh" "$@"; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --against) against="${2:?--against needs a module path}"; shift 2 ;;
    --module) jhsm_module="${2:?--module needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --rounds|--ms|--objects|--object-rounds|--only) bench_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --quick|--best) bench_args+=("$1"); shift ;;
    --first-second) first_second=1; shift ;;
    --network) network=1; shift ;;
    --cluster) cluster=1; shift ;;
    --native-client) native_client=1; shift ;;
    --chart-only) chart_only=1; shift ;;   # redraw DIR/ratio.png from DIR/results.csv
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "jhsm bench: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
other_name="$(basename "${against:-softhsm2}" .so)"; other_name="${other_name#lib}"
[[ "$other_name" == softhsm2 ]] && other_name=SoftHSMv2
tmp="$(mktemp -d)"
cleanup() {
  for c in "$tmp"/cluster*; do
    if [ -f "$c/client.conf" ]; then "$here/jhsm" cluster down --dir "$c" >/dev/null 2>&1 || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

so_pin=so12345678 pin=user12345678 label=bench
init_token() {  # MODULE: pkcs11-tool on slot 0, then the user PIN
  pkcs11-tool --module "$1" --init-token --slot 0 --label "$label" --so-pin "$so_pin" >/dev/null
  pkcs11-tool --module "$1" --token-label "$label" --init-pin --login --so-pin "$so_pin" --pin "$pin" >/dev/null
}

# What jhsm's crypto backend is, as far as this script can know: `jhsm version --json` answers for a JVM started
# with the same environment as the module's (JHSM_CRYPTO, JHSM_JAVA_HOME); its "crypto_backend" field names what ran
# (jhsm's log line has the same text); without one, only the request is known.
crypto_stamp() {
  local requested="JHSM_CRYPTO=${JHSM_CRYPTO:-auto} requested" json crypto=""
  json="$("$here/jhsm" version --json 2>/dev/null || true)"
  if [ -n "$json" ] && command -v jq >/dev/null; then
    crypto="$(echo "$json" | jq -r '[.. | objects | select(has("crypto_backend")) | .crypto_backend][0] // empty
      | if type == "string" then . else tojson end' 2>/dev/null || true)"
  elif [ -n "$json" ]; then
    crypto="$(echo "$json" | sed -n 's/.*"crypto_backend" *: *"\([^"]*\)".*/\1/p' | head -1)"
  fi
  if [ -n "$crypto" ]; then echo "jhsm crypto backend: $crypto (jhsm version --json; $requested)"
  else echo "jhsm crypto backend: $requested (jhsm version --json names none)"; fi
}

# Fresh throw-away tokens for both modules, in $tmp: JHSM_CONF and SOFTHSM2_CONF name them.
fresh_tokens() {
  [ -n "$against" ] || { echo "jhsm bench: --against MODULE is required (e.g. /usr/lib/softhsm/libsofthsm2.so)" >&2; exit 2; }
  for f in "$here/p11bench" "$jhsm_module" "$against"; do
    [ -e "$f" ] || { echo "jhsm bench: $f: no such file" >&2; exit 1; }
  done
  command -v pkcs11-tool >/dev/null || { echo "jhsm bench: needs pkcs11-tool (apt-get install opensc)" >&2; exit 1; }

  # Fresh tokens. jhsm and SoftHSM keep their tokens in the directory their config file names, so nothing here
  # touches the user's own tokens. SoftHSM renumbers its slots on init: p11bench finds tokens by label.
  mkdir -p "$tmp/jhsm" "$tmp/other"
  printf 'directory = %s\nslots = 1\n' "$tmp/jhsm" > "$tmp/jhsm.conf"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$tmp/other" > "$tmp/softhsm2.conf"
  export JHSM_CONF="$tmp/jhsm.conf" SOFTHSM2_CONF="$tmp/softhsm2.conf"
  echo "==> fresh tokens in $tmp"
  init_token "$jhsm_module"
  if [[ "$(basename "$against")" == *softhsm* ]] && command -v softhsm2-util >/dev/null; then
    softhsm2-util --init-token --free --label "$label" --so-pin "$so_pin" --pin "$pin" >/dev/null
  else
    init_token "$against"   # best effort: a module whose slot 0 holds a token that may be initialised
  fi
  mkdir -p "$out"
}

run_bench() {
  fresh_tokens
  # 2,000 objects unless asked: SoftHSM's file store rescans its directory on every call, so 10,000 objects
  # take it about half an hour to create and destroy (jhsm: seconds).
  [[ " ${bench_args[*]} " == *" --objects "* ]] || bench_args+=(--objects 2000)
  "$here/p11bench" "${bench_args[@]}" --stamp "$(crypto_stamp)" --md "$out/results.md" --csv "$out/results.csv" \
    -m "jhsm:$jhsm_module:$label:$pin" -m "$other_name:$against:$label:$pin"
  echo "==> wrote $out/results.md and $out/results.csv"
}

# A consumer's first second: p11bench starts a fresh process per module and round (p11first.c).
run_first_second() {
  fresh_tokens
  "$here/p11bench" --first-second "${bench_args[@]}" --stamp "$(crypto_stamp)" --md "$out/first-second.md" \
    --csv "$out/first-second.csv" -m "jhsm:$jhsm_module:$label:$pin" -m "$other_name:$against:$label:$pin"
  echo "==> wrote $out/first-second.md and $out/first-second.csv"
}

# The cases a network HSM is judged by (issue 14): one round trip, signing with 1 and 4 threads, C_GenerateKey,
# the cold start (which now includes the TLS connection).
network_cases="load + C_Initialize,C_GetSessionInfo,C_Sign ECDSA P-256,C_Sign RSA-2048,ECDSA P-256 sign 1 thread"
network_cases+=",ECDSA P-256 sign 4 threads,RSA-2048 sign 1 thread,RSA-2048 sign 4 threads,C_GenerateKey AES-256"

run_network_bench() {
  [ -x "$here/jhsm" ] || { echo "jhsm bench --network: needs $here/jhsm (cluster up)" >&2; exit 1; }
  echo "==> a local HSM node: jhsm cluster up --quick-start in $tmp/cluster"
  "$here/jhsm" cluster up --hsms 1 --dir "$tmp/cluster" --quick-start --admin-password 'Bench-admin-1' \
    --crypto-user 'alice:password' >/dev/null
  local args=("${bench_args[@]}")
  [[ " ${args[*]} " == *" --only "* ]] || args+=(--only "$network_cases")
  # One JVM per process: the network module runs in a p11bench of its own (JHSM_CONF names the node).
  # A fresh node and a fresh client JVM: round 0 runs 2 s per case so both JITs have compiled the call path
  # (with 100 ms samples the first rounds measured the interpreter, 4-5 ms per round trip against 0.3-0.4 ms).
  JHSM_CONF="$tmp/cluster/client.conf" "$here/p11bench" "${args[@]}" --warmup-ms 2000 --md "$tmp/network-only.md" --csv "$out/network.csv" \
    -m "jhsm-network:$jhsm_module:*:alice:password"
  merge_network "$out/results.csv" "$out/network.csv" > "$out/network.md"
  echo "==> wrote $out/network.md and $out/network.csv"
}

# network.md: each network case beside the in-process module and the other one (from results.csv).
merge_network() {
  awk -F, '
    function cell(ops, rv) { return ops != "" ? sprintf(ops + 0 >= 100 ? "%.0f" : "%.2f", ops) : (rv != "" ? "n/a: " rv : "not run") }
    FNR == 1 { file++ }
    /^# / { if (file == 2) stamp = stamp "- " substr($0, 3) "\n"; next }
    /^operation,/ { if (file == 1) { other = $5; sub(/_ops_per_s$/, "", other) } next }
    file == 1 { inproc[$1] = $2; inproc_rv[$1] = $4; ref[$1] = $5; ref_rv[$1] = $7; next }
    { rows[++n] = $1; net[$1] = $2; net_rv[$1] = $4 }
    END {
      printf "| operation | jhsm in-process ops/s | jhsm network ops/s | %s ops/s | network / in-process |\n", other
      print "|---|--:|--:|--:|--:|"
      for (i = 1; i <= n; i++) {
        op = rows[i]; name = op; gsub(/"/, "", name)
        ratio = net[op] != "" && inproc[op] + 0 > 0 ? sprintf("%.2f", net[op] / inproc[op]) : "n/a"
        printf "| %s | %s | %s | %s | %s |\n", name, cell(inproc[op], inproc_rv[op]), cell(net[op], net_rv[op]), cell(ref[op], ref_rv[op]), ratio
        if (name ~ /^C_GetSessionInfo/ && net[op] + 0 > 0)
          trip = sprintf("One round trip (C_GetSessionInfo), 1 / throughput: network %.1f µs, in-process %.2f µs (each call timed: below).", 1e6 / net[op], inproc[op] + 0 > 0 ? 1e6 / inproc[op] : 0)
        if (name ~ /^load/ && net[op] + 0 > 0) cold = sprintf("Cold load + C_Initialize (with the TLS connection), median: %.1f ms.", 1e3 / net[op])
      }
      printf "\n%s\n\n%s\n\n%s", trip, cold, stamp
    }' "$1" "$2"
}

if [ "$native_client" = 1 ]; then
  . "$here/jhsm-bench-native.sh"
  run_native_bench
  exit 0
fi
if [ "$cluster" = 1 ]; then
  . "$here/jhsm-bench-cluster.sh"
  run_cluster_bench
  exit 0
fi
if [ "$chart_only" != 1 ] && [ "$first_second" = 1 ]; then
  run_first_second
elif [ "$chart_only" != 1 ]; then
  run_bench
  [ "$network" = 0 ] || run_network_bench
fi

# The latest table into README.md, between its markers.
if [ "$first_second" = 0 ] && [ -f "$out/README.md" ] && grep -q '<!-- bench:begin -->' "$out/README.md"; then
  awk -v table="$out/results.md" '
    /<!-- bench:end -->/ { skipping = 0 }
    !skipping { print }
    /<!-- bench:begin -->/ { while ((getline line < table) > 0) print line; skipping = 1 }
  ' "$out/README.md" > "$tmp/README.md" && cp "$tmp/README.md" "$out/README.md"
  echo "==> updated the table in $out/README.md"
fi

if ! command -v gnuplot >/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing gnuplot-nox for the chart"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gnuplot-nox >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gnuplot-nox >/dev/null; } || true
fi
if ! command -v gnuplot >/dev/null; then
  echo "==> no gnuplot: chart skipped (apt-get install gnuplot-nox, then run again)"
  exit 0
fi
# The chart: the ratio per operation on a log scale, bars from 1.0 (right: jhsm faster, left: slower).
chart() {  # CSV PNG TITLE
  awk -F, '/^#/ || /^operation/ { next }
    $NF != "" { name = $1; gsub(/"/, "", name); r = $NF + 0
                printf "%d\t%g\t%g\t%g\t%s\t%d\n", n++, r, (r < 1 ? r : 1), (r < 1 ? 1 : r), name, (r < 1 ? 12986408 : 3046706) }' \
    "$1" > "$tmp/ratio.dat"
  local jvm date
  jvm="$(sed -n 's/^# JVM in the benchmark process: //p' "$1" | sed 's/ (.*//')"
  date="$(sed -n 's/^# date: //p' "$1")"
  gnuplot <<EOF
set datafile separator "\t"
set terminal pngcairo size 1000,720 font "sans,10"
set output "$2"
set title "$3\n{/*0.85 $jvm, $date}"
set logscale x 10
set xrange [0.002:500]
set yrange [-0.7:*] reverse
set grid xtics mxtics
set xtics format "%g"
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "black"
set key off
set style fill solid 0.8 border -1
set lmargin 38
set ytics noenhanced
plot "$tmp/ratio.dat" using 2:1:3:4:(\$1-0.35):(\$1+0.35):6:ytic(5) with boxxyerror lc rgb variable, \
     "" using (\$4 * 1.1):1:(sprintf("%.2f", \$2)) with labels left font ",9"
EOF
  echo "==> wrote $2"
}
ratio_title="jhsm / $other_name throughput ratio per operation (log scale; right of 1.0: jhsm faster)"
if [ "$first_second" = 0 ] && [ -f "$out/results.csv" ]; then chart "$out/results.csv" "$out/ratio.png" "$ratio_title"; fi
if { [ "$first_second" = 1 ] || [ "$chart_only" = 1 ]; } && [ -f "$out/first-second.csv" ]; then
  chart "$out/first-second.csv" "$out/first-second.png" \
    "First second, no warm-up: jhsm / $other_name ratio per operation (log scale; right of 1.0: jhsm faster)"
fi
