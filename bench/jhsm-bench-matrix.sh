#!/usr/bin/env bash
# jhsm bench --matrix: issue 16's comparison in one go: the warm and the first-second benchmark against SoftHSMv2,
# for JDK 17 and Temurin 25, each with jhsm's crypto backend forced to ACCP and to the portable code, best of 2
# rounds, then one summary of every row's ratio in every configuration.
#
#   jhsm-bench-matrix.sh [--quick] [--out DIR] [--against MODULE] [--rounds N] [--jdk17 PATH] [--jdk25 PATH]
#                        [--backends "accp portable"] [--modes "warm first-second"] [--only NAME,NAME]
#                        [--summary-only]   (rewrite DIR/matrix.md and .csv from the runs already in DIR)
#
# Writes DIR/CONFIG/BACKEND/{results,first-second}.{md,csv,png} (CONFIG jdk17, jdk25; BACKEND accp, portable) and
# DIR/matrix.md with DIR/matrix.csv (default DIR: ./bench-matrix; the performance docs use docs/performance).
# jdk17 is the shim's default JVM (the JDK jhsm was built with: JHSM_JAVA_HOME and JAVA_HOME are unset for it)
# unless --jdk17 names one; jdk25 is /usr/lib/jvm/temurin-25-jdk-amd64 unless --jdk25 names another. A JDK named
# by path gets its class archive first (`jhsm archive --java-home`), so its cold start is the shipped one.
# Every run stamps the JVM it mapped and the backend jhsm reported (or only JHSM_CRYPTO's request: jhsm-bench).
# --quick: one round of --quick samples per run (a smoke run of a few minutes); otherwise --rounds (default 2),
# reported as each module's best round (--best). Runs go configuration by configuration, warm then first second.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
out="bench-matrix" against="/usr/lib/softhsm/libsofthsm2.so" rounds=2 quick=0 only="" summary_only=0
jdk17="" jdk25="/usr/lib/jvm/temurin-25-jdk-amd64" backends="accp portable" modes="warm first-second"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --summary-only) summary_only=1; shift ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --against) against="${2:?--against needs a module path}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --jdk17) jdk17="${2:?--jdk17 needs a Java home}"; shift 2 ;;
    --jdk25) jdk25="${2:?--jdk25 needs a Java home}"; shift 2 ;;
    --backends) backends="${2:?--backends needs a list}"; shift 2 ;;
    --modes) modes="${2:?--modes needs a list}"; shift 2 ;;
    --only) only="${2:?--only needs a list}"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "jhsm bench --matrix: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -x "$here/jhsm-bench" ] || { echo "jhsm bench --matrix: needs $here/jhsm-bench" >&2; exit 1; }
[ -z "$jdk25" ] || [ -x "$jdk25/bin/java" ] || { echo "jhsm bench --matrix: $jdk25 is not a JDK (--jdk25 PATH)" >&2; exit 1; }

run_args=(--against "$against")
if [ "$quick" = 1 ]; then run_args+=(--quick --rounds 1); else run_args+=(--rounds "$rounds" --best); fi
[ -z "$only" ] || run_args+=(--only "$only")

configs=(jdk17)
[ -z "$jdk25" ] || configs+=(jdk25)
java_home_of() { if [ "$1" = jdk17 ]; then echo "$jdk17"; else echo "$jdk25"; fi; }

# One configuration's runs: the JVM by JHSM_JAVA_HOME (or none: the build's), the backend by JHSM_CRYPTO.
run_config() {  # CONFIG BACKEND
  local home dir env_args=(-u JAVA_HOME -u JHSM_JAVA_HOME "JHSM_CRYPTO=$2")
  home="$(java_home_of "$1")"
  dir="$out/$1/$2"
  [ -z "$home" ] || env_args+=("JHSM_JAVA_HOME=$home")
  mkdir -p "$dir"
  for mode in $modes; do
    echo "==> $1, JHSM_CRYPTO=$2, $mode: $dir"
    if [ "$mode" = first-second ]; then
      env "${env_args[@]}" "$here/jhsm-bench" --first-second "${run_args[@]}" --out "$dir"
    else
      env "${env_args[@]}" "$here/jhsm-bench" "${run_args[@]}" --out "$dir"
    fi
  done
}

for config in "${configs[@]}"; do
  [ "$summary_only" = 0 ] || break
  home="$(java_home_of "$config")"
  if [ -n "$home" ]; then
    echo "==> the class archive for $home (jhsm archive --java-home)"
    "$here/jhsm" archive --java-home "$home"
  fi
  for backend in $backends; do run_config "$config" "$backend"; done
done

# ---- the summary ------------------------------------------------------------------------------------------

# Issue 16's targets, jhsm / SoftHSMv2: these rows in both modes; in the first second every other row but the cold
# load 1.0. A ratio counts as met from 0.95 x its target (the noise of a shared machine).
targets="C_Sign ECDSA P-256 (32 B hash)=2.0;ECDSA P-256 sign 1 thread=2.0;ECDSA P-256 sign 2 threads (total)=2.0"
targets+=";ECDSA P-256 sign 4 threads (total)=2.0;C_Verify ECDSA P-256=1.0;C_Sign RSA-2048 SHA256_RSA_PKCS=1.3"
targets+=";C_Verify RSA-2048 SHA256_RSA_PKCS=1.0;C_GenerateKeyPair RSA-2048=1.0;C_Digest SHA-256 1 MiB=1.0"
targets+=";C_Encrypt AES-256-CBC-PAD 1 MiB=1.0;C_Encrypt AES-256-GCM 1 KiB=3.3"

summary_table() {  # MODE_CSV_NAME FIRST_SECOND(0|1): one Markdown table, rows x configurations
  local cols=() files=() c b
  for c in "${configs[@]}"; do for b in $backends; do cols+=("$c $b"); files+=("$out/$c/$b/$1"); done; done
  for i in "${!files[@]}"; do
    if [ -f "${files[i]}" ]; then sed "/^#/d; /^operation,/d; s/^/$i,/" "${files[i]}"; fi
  done | awk -F, -v cols="$(IFS=';'; echo "${cols[*]}")" -v targets="$targets" -v first="$2" '
    BEGIN {
      nc = split(cols, col, ";")
      n = split(targets, t, ";")
      for (i = 1; i <= n; i++) { split(t[i], kv, "="); target[kv[1]] = kv[2] }
    }
    { name = $2; gsub(/"/, "", name); if (!(name in seen)) { seen[name] = 1; order[++rows] = name }
      cell[$1, name] = $NF != "" ? sprintf("%.2f", $NF) : sprintf("n/a (%s / %s)", $5 != "" ? $5 : "-", $8 != "" ? $8 : "-")
      ratio[$1, name] = $NF }
    END {
      printf "| operation | target |"; for (i = 1; i <= nc; i++) printf " %s |", col[i]; printf "\n|---|--:|"
      for (i = 1; i <= nc; i++) printf "--:|"; printf "\n"
      for (r = 1; r <= rows; r++) {
        name = order[r]; goal = name in target ? target[name] : (first == 1 && name !~ /^load/ ? "1.0" : "")
        printf "| %s | %s |", name, goal != "" ? "≥ " goal : name ~ /^load/ ? "(cold start)" : "as today"
        for (i = 1; i <= nc; i++) {
          k = (i - 1) SUBSEP name
          v = k in cell ? cell[k] : "not run"
          if (goal != "" && ratio[k] != "" && ratio[k] + 0 < 0.95 * goal) v = v " ✗"
          printf " %s |", v
        }
        printf "\n"
      }
    }'
}

stamps() {  # the JVM, backend, load and jhsm's cold load of every run
  local c b f csv
  for c in "${configs[@]}"; do for b in $backends; do for f in results first-second; do
    csv="$out/$c/$b/$f.csv"
    [ -f "$csv" ] || continue
    echo "- $c $b $f: $(sed -n 's/^# JVM in the benchmark process: //p' "$csv");" \
      "$(sed -n 's/^# jhsm crypto backend: //p' "$csv");" \
      "$(awk -F, '/^"load/ && $2 != "" { printf "jhsm cold load %.1f ms; ", 1000 / $2 }' "$csv")load" \
      "$(sed -n 's/^# load average: //p' "$csv" | cut -d' ' -f1-3), $(sed -n 's/^# date: //p' "$csv")"
  done; done; done
}

{
  echo "# jhsm / SoftHSMv2 ratio per row and configuration"
  echo
  echo "\`jhsm bench --matrix$([ "$quick" = 1 ] && echo " --quick")\`: each column is one configuration (JDK, JHSM_CRYPTO);"
  echo "$([ "$quick" = 1 ] && echo "one quick round (a smoke run, not a measurement)" || echo "best of $rounds rounds per module")."
  echo "Above 1 jhsm is faster. ✗: below 0.95 × the target of issue 16. Tables, charts and stamps of each run in"
  echo "CONFIG/BACKEND/ beside this file."
  for mode in $modes; do
    echo
    if [ "$mode" = first-second ]; then
      echo "## First second (a fresh process per module, every row once, no warm-up)"
      echo
      summary_table first-second.csv 1
    else
      echo "## Warm (interleaved rounds after a warm-up round)"
      echo
      summary_table results.csv 0
    fi
  done
  echo
  echo "Runs:"
  stamps
} > "$out/matrix.md"
{
  echo "mode,config,backend,operation,ratio"
  for c in "${configs[@]}"; do for b in $backends; do for f in results first-second; do
    [ -f "$out/$c/$b/$f.csv" ] || continue
    m="$([ "$f" = results ] && echo warm || echo first-second)"
    sed "/^#/d; /^operation,/d" "$out/$c/$b/$f.csv" | awk -F, -v p="$m,$c,$b" '{ print p "," $1 "," $NF }'
  done; done; done
} > "$out/matrix.csv"
echo "==> wrote $out/matrix.md and $out/matrix.csv"
