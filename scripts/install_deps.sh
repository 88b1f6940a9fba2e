#!/usr/bin/env bash
# Installs the Debian packages listed in the given files (scripts/deps*.txt) that are missing,
# showing apt's progress one line per package. Used by scripts/setup.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in $(cat "$@" | sed 's/#.*//'); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: packages: all ${*} already installed"
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "setup: packages: installing ${#missing[@]} missing: ${missing[*]}"
echo "setup: packages: apt-get update"
$sudo apt-get update -qq
# apt's own lines, shortened: each download, then each package unpacked and set up.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" |
    awk '/^Get:/ { printf "setup: packages: download %s %s %s\n", $5, $(NF-1), $NF; fflush(); next }
         /^Setting up/ { printf "setup: packages: set up %s\n", $3; fflush(); next }
         /^(E:|W:)/ { print; fflush() }'
