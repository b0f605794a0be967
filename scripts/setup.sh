#!/usr/bin/env bash
# Installs what DoseCal needs on a fresh Debian machine (only when missing) and builds it.
# Usage: scripts/setup.sh [debug|release]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-release}"

need=()
for pkg in libopenblas-dev liblapacke-dev libsqlite3-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$d/swift" ] && export PATH="$d:$PATH"
    done
fi
command -v swift >/dev/null 2>&1 || { echo "setup: no Swift toolchain found (Swift 6.1 or newer is needed)" >&2; exit 1; }

if [ "$config" != "none" ]; then
    swift build -c "$config" --product dosecal 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' >&2 || true
    test -x ".build/$config/dosecal" || { echo "setup: build failed" >&2; exit 1; }
fi
