#!/usr/bin/env bash
# Checks the Debian/Ubuntu packages that a livequeue command needs and installs those missing when it can: as root, or
# with sudo when sudo needs no password (apt-get, after saying in one line what it installs). Otherwise it prints the
# one command that installs them and exits 1. Nothing is looked up or updated when everything is present.
#
#   scripts/prerequisites.sh build        what ./mvnw needs: a JDK 17+ (javac), curl, unzip
#   scripts/prerequisites.sh run          what ./run.sh needs: a JDK 17+, curl, redis-server
#   scripts/prerequisites.sh run-no-redis the same without redis-server (run.sh found a Redis to use)
#   scripts/prerequisites.sh test         what ./mvnw verify needs (run by Maven at validate): redis-server, openssl,
#                                         chromium, chromium-driver
#
#   LIVEQUEUE_SKIP_PREREQS=1     check nothing: you manage these packages yourself
#   LIVEQUEUE_APT_SIMULATE=1     show what apt-get would do (apt-get -s install), install nothing, and exit 1
#
# Exit status: 0 everything is there (or was installed), 1 something is missing and was not installed, 2 wrong usage.
set -euo pipefail

say() { printf '[prerequisites] %s\n' "$*"; }
fail() { printf '[prerequisites] %s\n' "$*" >&2; exit 1; }

[ "${LIVEQUEUE_SKIP_PREREQS:-}" = 1 ] && exit 0

mode=${1:-}
case "$mode" in
  build | run | run-no-redis | test) ;;
  *) printf 'usage: %s build|run|run-no-redis|test\n' "$0" >&2; exit 2 ;;
esac

# --- what is missing: the commands a mode needs and the Debian package that brings each ------------------------------
missing=()   # Debian packages
names=()     # what is missing, as a person would say it
need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  names+=("$1")
  [[ " ${missing[*]} " == *" $2 "* ]] || missing+=("$2")
}
need_jdk() {
  local major=0
  if command -v java >/dev/null 2>&1; then
    major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    major=${major%%.*}
  fi
  if ! command -v javac >/dev/null 2>&1 || ! [ "${major:-0}" -ge 17 ] 2>/dev/null; then
    names+=("a JDK 17+")
    missing+=(openjdk-17-jdk-headless)
  fi
}
check() {
  missing=(); names=()
  case "$mode" in
    build) need_jdk; need curl curl; need unzip unzip ;;
    run) need_jdk; need curl curl; need redis-server redis-server ;;
    run-no-redis) need_jdk; need curl curl ;;
    test) need redis-server redis-server; need openssl openssl; need chromium chromium
      need chromedriver chromium-driver ;;
  esac
}
check
((${#missing[@]})) || exit 0

case "$mode" in
  build) purpose="to build (./mvnw)" ;;
  run | run-no-redis) purpose="for ./run.sh" ;;
  test) purpose="for ./mvnw verify (its tests start redis-server, make TLS certificates, drive headless Chromium)" ;;
esac
list=$(IFS=,; printf '%s' "${names[*]}"); list=${list//,/, }

# --- how: root, or passwordless sudo, with apt-get ----------------------------------------------------------------
as_root=()
if [ "$(id -u)" = 0 ]; then
  can_install=true
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  can_install=true; as_root=(sudo -n)
else
  can_install=false
fi
if ! command -v apt-get >/dev/null 2>&1; then
  fail "missing $list $purpose: install them with your package manager (Debian/Ubuntu: ${missing[*]}), or set LIVEQUEUE_SKIP_PREREQS=1 if you manage them yourself"
fi
command_line="apt-get update && apt-get install -y ${missing[*]}"
if ! $can_install; then
  # run.sh can still fall back to a Redis container
  if [ "$mode" = run ] && [ "${missing[*]}" = redis-server ] && command -v docker >/dev/null 2>&1 \
      && docker info >/dev/null 2>&1; then
    say "no redis-server here: run.sh will start a Redis container (or: sudo apt-get install -y redis-server)"
    exit 0
  fi
  fail "missing $list $purpose; install with: sudo sh -c '$command_line'   (or set LIVEQUEUE_SKIP_PREREQS=1)"
fi

# --- install ----------------------------------------------------------------------------------------------------
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120)
if [ "${LIVEQUEUE_APT_SIMULATE:-}" = 1 ]; then
  say "would install $purpose with apt-get: ${missing[*]} (simulated: apt-get update is skipped, apt-get -s install runs)"
  "${apt[@]}" -s install -y --no-install-recommends "${missing[@]}" || fail "apt-get -s install failed: see above"
  fail "simulated only: nothing was installed, so stopping here"
fi
say "installing $purpose with apt-get: ${missing[*]} (LIVEQUEUE_SKIP_PREREQS=1 skips this)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# an update that fails for one unrelated source must not stop the install: the install says what it could not find
if ! { "${apt[@]}" update -qq || true; "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "apt-get could not install ${missing[*]}: see its output above"
fi

# the packages are in: are the commands now found?
check
((${#missing[@]})) && fail "installed, but still not found on the PATH: ${names[*]}"
say "installed."
