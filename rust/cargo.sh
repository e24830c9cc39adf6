#!/bin/bash
# Debian's cargo (/usr/bin/cargo, /usr/bin/rustc), offline on Debian's crate
# sources (rust/cargo-config.toml), linking fully static against this tree's
# libzircon (build/lib/libzircon.a, make lib; it carries libmx), as the
# busybox guests need.
#
#   rust/cargo.sh CARGO-ARGS...
#
# Run it in a package's folder, as cargo. CARGO_HOME is
# $MXCHAN_CACHE/cargo-home, so no user cargo configuration applies (make
# sets CARGO_TARGET_DIR under $MXCHAN_CACHE/rust-target too). Any RUSTFLAGS
# given are added after this script's own.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../vm/lib.sh
. "$repo/vm/lib.sh"

for tool in /usr/bin/cargo /usr/bin/rustc; do
	[ -x "$tool" ] || { echo "cargo.sh: no $tool: run vm/deps.sh (packages cargo, rustc)" >&2; exit 1; }
done

export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
export CARGO_HOME=$MXCHAN_CACHE/cargo-home
# The crate asks for libzircon without saying static (#[link(name =
# "zircon")]), so rustc links it under -Bdynamic, where the linker takes
# libzircon.so over libzircon.a: the search path gets a directory that
# holds the archive alone.
static=$repo/build/rust/static
mkdir -p "$static" "$CARGO_HOME"
ln -sfn ../../lib/libzircon.a "$static/libzircon.a"
export RUSTFLAGS="-C target-feature=+crt-static -L native=$static${RUSTFLAGS:+ $RUSTFLAGS}"
exec /usr/bin/cargo --config "$repo/rust/cargo-config.toml" "$@"
