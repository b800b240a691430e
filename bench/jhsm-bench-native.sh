# jhsm bench --native-client (sourced by jhsm-bench): issue 18's native client, dist/libjhsm-client.so, beside the
# JVM module (in-process on a local token, and in network mode) and the other module (SoftHSMv2) in-process.
# Uses jhsm-bench's $here, $tmp (removed, node down, on exit), $out, $bench_args, $jhsm_module, $against,
# $other_name, $label, $pin and fresh_tokens/crypto_stamp.
#
# Two p11bench processes, because JHSM_CONF is per process and names either a local token or a node:
#   1. in-process: the JVM module on its local token and the other module;
#   2. network: the native client and the JVM module, both clients of one node on loopback (cluster up
#      --quick-start, as --network does), side by side in one process (A B A B per round).
# DIR/native-client.md puts them in one table: cold start in ms, per call in µs, and the native client's ratios.

native_cases="load + C_Initialize (cold,cold start to the first C_OpenSession,C_GetSessionInfo,C_Sign ECDSA P-256 (32 B hash),C_Encrypt AES-256-GCM 1 KiB"

run_native_bench() {
  local native="$here/libjhsm-client.so"
  [ -e "$native" ] || { echo "jhsm bench --native-client: $native: no such file" >&2; exit 1; }
  fresh_tokens
  local args=("${bench_args[@]}")
  [[ " ${args[*]} " == *" --only "* ]] || args+=(--only "$native_cases")
  echo "==> in-process: the JVM module on a local token and $other_name"
  "$here/p11bench" "${args[@]}" --stamp "$(crypto_stamp)" --md "$tmp/native-local.md" --csv "$out/native-local.csv" \
    -m "jhsm:$jhsm_module:$label:$pin" -m "$other_name:$against:$label:$pin"
  echo "==> a local HSM node: jhsm cluster up --quick-start in $tmp/cluster"
  "$here/jhsm" cluster up --hsms 1 --dir "$tmp/cluster" --quick-start --admin-password 'Bench-admin-1' \
    --crypto-user 'alice:password' >"$tmp/cluster.up.log" 2>&1 || { cat "$tmp/cluster.up.log" >&2; exit 1; }
  # Round 0 runs 2 s per case: the JVM module's client JIT and the node's compile their call paths (see --network).
  JHSM_CONF="$tmp/cluster/client.conf" "$here/p11bench" "${args[@]}" --warmup-ms 2000 --md "$tmp/native-network.md" \
    --csv "$out/native-network.csv" -m "native:$native:*:alice:password" -m "jhsm-network:$jhsm_module:*:alice:password"
  merge_native "$out/native-local.csv" "$out/native-network.csv" > "$out/native-client.md"
  echo "==> wrote $out/native-client.md ($out/native-local.csv, $out/native-network.csv)"
}

# native-client.md: per row, each module's cost (ms for a cold start, µs for a call: 1 / throughput) and the ratios
# of the native client's throughput to the JVM module's in network mode and to the other module's in-process.
merge_native() {
  awk -F, '
    function num(x) { return sprintf(x < 10 ? "%.2f" : "%.1f", x) }
    function cost(op, ops) { if (ops + 0 <= 0) return "n/a"; return op ~ /cold/ ? num(1e3 / ops) " ms" : num(1e6 / ops) " µs" }
    function ratio(a, b) { return a + 0 > 0 && b + 0 > 0 ? sprintf("%.3g", a / b) : "n/a" }
    FNR == 1 { file++ }
    /^# / { stamp = stamp "- " substr($0, 3) "\n"; next }
    /^operation,/ { if (file == 1) { other = $5; sub(/_ops_per_s$/, "", other) } next }
    file == 1 { jvm_local[$1] = $2; ref[$1] = $5; next }
    { rows[++n] = $1; native[$1] = $2; jvm_net[$1] = $5 }
    END {
      printf "| operation | native client (network) | JVM module (network) | %s (in-process) | JVM module (in-process) | native / JVM network | native / %s |\n", other, other
      print "|---|--:|--:|--:|--:|--:|--:|"
      for (i = 1; i <= n; i++) {
        op = rows[i]; name = op; gsub(/"/, "", name)
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", name, cost(name, native[op]), cost(name, jvm_net[op]),
          cost(name, ref[op]), cost(name, jvm_local[op]), ratio(native[op], jvm_net[op]), ratio(native[op], ref[op])
      }
      printf "\nCosts are 1 / throughput (median over the rounds); a ratio is the native client'"'"'s throughput over the other'"'"'s (above 1: the native client is faster). Network columns cross loopback TLS to one node on this machine.\n\n%s", stamp
    }' "$1" "$2"
}
