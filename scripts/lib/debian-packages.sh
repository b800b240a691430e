# Sourced by scripts/test.sh and scripts/demo.sh.
# require_debian_packages NAME PKG...: installs the missing packages when run as root (apt-get update once),
# otherwise names them and exits. Checked by package, so a half-installed machine is caught too.
require_debian_packages() {
  local who="$1"; shift
  local missing=() p
  if ! command -v dpkg-query >/dev/null; then
    echo "$who: no dpkg-query; this script expects Debian 12 with: $*" >&2
    exit 1
  fi
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "==> installing missing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$@"
  else
    echo "$who: missing Debian packages: ${missing[*]}" >&2
    echo "         install them as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
}
