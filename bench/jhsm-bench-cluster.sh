# jhsm bench --cluster (sourced by jhsm-bench): the measures of issue 15 on local clusters of 1, 2 and 3 HSMs.
# Uses jhsm-bench's $here, $tmp (removed, clusters down, on exit), $out and $bench_args.

cluster_sign_cases="ECDSA P-256 token key sign 1 thread,ECDSA P-256 token key sign 4 threads"
cluster_commit_case="C_GenerateKey AES-256 (token key)"

cluster_up() {  # N DIR
  "$here/jhsm" cluster up --hsms "$1" --dir "$2" --quick-start --admin-password 'Bench-admin-1' \
    --crypto-user 'alice:password' >"$2.up.log" 2>&1 || { cat "$2.up.log" >&2; exit 1; }
  # the 4-thread rows measure one process's sessions spread over the HSMs
  echo "session-placement = session" >> "$2/client.conf"
}

cluster_status() {  # DIR -> JSON lines, one per HSM
  "$here/jhsm" cluster status --dir "$1" --json | jq -c '.data.hsms[]'
}

# Seconds since the epoch with nanoseconds, for the replacement's duration.
now_s() { date +%s.%N; }

run_cluster_bench() {
  command -v jq >/dev/null || { echo "jhsm bench --cluster: needs jq (apt-get install jq)" >&2; exit 1; }
  local objects=10000 rounds=3 ms=1000 args=("${bench_args[@]}") i
  for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
      --objects) objects="${args[i+1]}" ;;
      --rounds) rounds="${args[i+1]}" ;;
      --ms) ms="${args[i+1]}" ;;
    esac
  done
  mkdir -p "$out"
  local csv="$out/cluster.csv"
  echo "hsms,case,ops_per_s,spread" > "$csv"
  for n in ${JHSM_BENCH_CLUSTER_HSMS-1 2 3}; do
    local dir="$tmp/cluster-$n" cases="$cluster_sign_cases"
    [ "$n" = 2 ] || cases+=",$cluster_commit_case"
    echo "==> $n HSM(s): jhsm cluster up --hsms $n in $dir"
    cluster_up "$n" "$dir"
    JHSM_CONF="$dir/client.conf" "$here/p11bench" --rounds "$rounds" --ms "$ms" --warmup-ms 2000 --only "$cases" \
      --csv "$tmp/cluster-$n.csv" -m "jhsm-$n:$jhsm_module:*:alice:password" >/dev/null
    awk -F, -v n="$n" '/^#/ || /^operation,/ { next } { print n "," $1 "," $2 "," $3 }' "$tmp/cluster-$n.csv" >> "$csv"
    "$here/jhsm" cluster down --dir "$dir" >/dev/null
  done

  local dir="$tmp/cluster-replace"
  echo "==> replacement: 3 HSMs, $objects token objects, then cluster fault kill of a follower"
  cluster_up 3 "$dir"
  JHSM_CONF="$dir/client.conf" "$here/p11bench" --rounds 1 --only "C_CreateObject token data object" --objects "$objects" \
    --keep-objects --csv "$tmp/objects.csv" -m "jhsm-3:$jhsm_module:*:alice:password" >/dev/null
  local victim before t0 t1 replaced=""
  victim="$(cluster_status "$dir" | jq -r 'select(."raft-role" != "LEADER") | ."hsm-id"' | head -1)"
  before="$(cluster_status "$dir" | jq -r '."hsm-id"' | tr '\n' ' ')"
  t0="$(now_s)"
  "$here/jhsm" cluster fault --dir "$dir" --hsm-id "$victim" kill >/dev/null
  while awk -v a="$(now_s)" -v b="$t0" -v wait="${JHSM_BENCH_REPLACE_WAIT_S:-300}" 'BEGIN { exit !(a - b < wait) }'; do
    local s
    s="$(cluster_status "$dir" 2>/dev/null || true)"
    if [ "$(echo "$s" | jq -s --arg v "$victim" 'length == 3 and all(."hsm-id" != $v and .state == "ACTIVE" and .lag == 0)
        and ([.[]."applied-index"] | unique | length == 1)' 2>/dev/null)" = true ]; then
      replaced="$(echo "$s" | jq -r '."hsm-id"' | grep -vxF -f <(echo "$before" | tr ' ' '\n' | sed '/^$/d') || true)"
      break
    fi
    sleep 0.5
  done
  t1="$(now_s)"
  local seconds create
  seconds="$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')"
  create="$(awk -F, '/^"?C_CreateObject/ { print $2; exit }' "$tmp/objects.csv")"
  [ -n "$replaced" ] || seconds="not within ${JHSM_BENCH_REPLACE_WAIT_S:-300} s"
  echo "3,replace a killed HSM holding $objects token objects (s),$seconds," >> "$csv"
  echo "3,C_CreateObject token data object ($objects kept),$create," >> "$csv"
  cp "$dir/supervisor.log" "$out/cluster-supervisor.log" 2>/dev/null || true
  "$here/jhsm" cluster down --dir "$dir" >/dev/null
  cluster_report "$csv" "$victim" "$replaced" > "$out/cluster.md"
  echo "==> wrote $out/cluster.md and $out/cluster.csv"
}

cluster_report() {  # CSV VICTIM REPLACEMENT
  echo "| HSMs | case | ops/s (median) | spread |"
  echo "|--:|---|--:|--:|"
  awk -F, 'NR > 1 { name = $2; gsub(/"/, "", name); printf "| %s | %s | %s | %s |\n", $1, name, $3, $4 }' "$1"
  echo
  echo "Killed $2; replaced by ${3:-nothing}."
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1),"
  echo "  $(free -g | awk '/^Mem:/ { print $2 " GiB" }'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- JDK: $("${JHSM_JAVA_HOME:-${JAVA_HOME:-/usr}}/bin/java" -version 2>&1 | head -1)"
}
