#!/usr/bin/env bash
# Installs every Debian (bookworm) package perftunereport needs to build, test and
# render. Idempotent: packages already present are skipped, so a warm machine
# pays nothing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libsqlite3-dev
  libpq-dev postgresql
  zlib1g-dev
  poppler-utils
  chromium
  procps
)

# Node.js + npm run the MCP tests' client. Some images ship them outside
# Debian's packaging (e.g. a vendor nodejs that bundles npm): only install
# Debian's when the commands are absent.
# make fuzz (not CI): clang and its libFuzzer runtime.
if [[ "${1:-}" == "--fuzz" ]]; then packages+=(clang libclang-rt-14-dev); fi

command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
