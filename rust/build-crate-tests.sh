#!/bin/bash
# Build the test binary of Debian's fuchsia-zircon crate (package
# librust-fuchsia-zircon-dev) unchanged, against this tree's libzircon:
#
#   rust/build-crate-tests.sh      -> build/rust/fuchsia-zircon-tests
#
# The crate's sources are copied, as they are, to build/rust/fuchsia-zircon
# and built there with `cargo test --no-run` (rust/cargo.sh: Debian's cargo,
# offline, static). Compiled dependencies stay in
# $MXCHAN_CACHE/rust-target/crate-tests between runs. rust/fuchsia-zircon-tests.sh
# runs the binary in a guest and prints TAP.
set -euo pipefail

cd "$(dirname "$0")/.."
. vm/lib.sh

CRATE=fuchsia-zircon-0.3.3
src=/usr/share/cargo/registry/$CRATE
dir=build/rust/fuchsia-zircon
out=build/rust/fuchsia-zircon-tests
lib=build/lib/libzircon.a
export CARGO_TARGET_DIR=$MXCHAN_CACHE/rust-target/crate-tests

die() { echo "build-crate-tests: $*" >&2; exit 1; }

# no stale binary if this build fails, whatever fails: the guest runner
# then reports every test missing
rm -f "$out"
[ -d "$src" ] || die "no $src: run vm/deps.sh (package librust-fuchsia-zircon-dev)"
[ -f "$lib" ] || die "no $lib: run make lib"

# A fresh copy only when the packaged sources changed. It keeps their
# times, so a new clone with the cache of an earlier one compiles nothing.
if [ ! -d "$dir" ] || ! diff -qr -x Cargo.lock "$src" "$dir" >/dev/null 2>&1; then
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	cp -rp "$src" "$dir"
fi

# Cargo does not track native libraries: when libzircon.a changed since
# the last link, drop the crate's own artifacts so its test binary is
# linked again (its dependencies stay compiled).
mkdir -p "$CARGO_TARGET_DIR"
stamp=$CARGO_TARGET_DIR/libzircon.sha256
sum=$(sha256sum "$lib" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
	(cd "$dir" && ../../../rust/cargo.sh clean -q -p fuchsia-zircon) || true
fi

# The crate says #![deny(warnings)], written for the Rust of 2018: newer
# deprecations (try!) would stop it, so lints are capped at warnings.
exe=$(cd "$dir" && RUSTFLAGS="--cap-lints warn" ../../../rust/cargo.sh test --no-run \
	--message-format=json-render-diagnostics |
	sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n1)
if [ -z "$exe" ] || [ ! -x "$exe" ]; then
	die "cargo test --no-run gave no test binary"
fi
echo "$sum" > "$stamp"
cp "$exe" "$out.tmp"
strip --strip-debug "$out.tmp"
mv "$out.tmp" "$out"
