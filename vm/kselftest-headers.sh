#!/bin/bash
# Unpack the kernel's kselftest headers from Debian's linux-source-6.12 into
# the folder given (the tests use the kernel's own harness, not a copy).
set -euo pipefail

dest=$1
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1 || true)
if [ -z "$tarball" ]; then
	"$(dirname "$0")/deps.sh"
	tarball=$(ls /usr/src/linux-source-6.12.tar.* | head -n1)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xf "$tarball" -C "$tmp" --wildcards '*/tools/testing/selftests/kselftest*.h'
mkdir -p "$dest"
cp "$tmp"/*/tools/testing/selftests/kselftest*.h "$dest"/
