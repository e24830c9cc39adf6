#!/bin/bash
# Install what mxchan needs to build and test on Debian 12, and fetch the
# guest kernels into the cache (never into the host's /boot).
#
#   vm/deps.sh            install packages (root) and fetch the lane kernels
#   vm/deps.sh --print    print the apt commands instead of running them
#
# Kernel images are unpacked with dpkg -x into $MXCHAN_CACHE (default
# ~/.cache/mxchan); headers are installed normally under /usr/src.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

BASE_PKGS="build-essential gcc-multilib pkg-config bc flex bison cpio xz-utils
zstd kmod libelf-dev libssl-dev qemu-system-x86 busybox-static linux-perf
sparse dkms openssl man-db groff-base manpages manpages-dev
rustc cargo librust-fuchsia-zircon-dev python3 graphviz"
BPO_SRC=/etc/apt/sources.list.d/mxchan-bookworm-backports.sources

print_only=0
[ "${1:-}" = "--print" ] && print_only=1

need_root() {
	if [ "$(id -u)" != 0 ] || [ $print_only = 1 ]; then
		local h61 h612 hrt
		h61=$(newest_abi 6.1)
		h612=$(newest_abi 6.12)
		hrt=$(newest_abi rt)
		cat >&2 <<EOT
mxchan needs packages. As root, run (or simply: sudo make deps):
  printf 'Types: deb\\nURIs: http://deb.debian.org/debian\\nSuites: bookworm-backports\\nComponents: main\\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\\n' > $BPO_SRC
  apt-get update
  apt-get install --no-install-recommends $(echo $BASE_PKGS) linux-source-6.12 linux-headers-${h61:-6.1.0-N}-amd64 linux-headers-${h612:-6.12.N+deb12}-amd64 linux-headers-${hrt:-6.12.N+deb12-rt}-amd64
EOT
		exit 1
	fi
}

have_backports() {
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/
}

# newest "linux-image-<abi>-amd64-unsigned" for a lane: 6.1, 6.12, or rt
# (6.12's PREEMPT_RT flavour, whose abi ends in -rt)
newest_abi() {
	local pat
	case "$1" in
	6.1) pat='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
	6.12) pat='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
	rt) pat='^linux-image-6\.12\.[0-9]+\+deb12-rt-amd64-unsigned$' ;;
	esac
	apt-cache pkgnames linux-image-6.1 2>/dev/null | grep -E "$pat" |
		sed -e 's/^linux-image-//' -e 's/-amd64-unsigned$//' | sort -V | tail -n1
}

fetch_image() {	# $1 = lane, $2 = abi
	local dir="$MXCHAN_CACHE/kernel-$1"
	if [ -f "$dir/vmlinuz" ] && [ -f "$dir/modules/order" ] &&
	   [ "$(cat "$dir/abi" 2>/dev/null)" = "$2" ]; then
		return
	fi
	rm -rf "$dir" && mkdir -p "$dir/x"
	(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root \
		"linux-image-$2-amd64-unsigned" >/dev/null)
	dpkg -x "$dir"/linux-image-*.deb "$dir/x"
	cp "$dir/x/boot/vmlinuz-$2-amd64" "$dir/vmlinuz"
	keep_modules "$dir/x/lib/modules/$2-amd64" "$dir/modules"
	rm -rf "$dir/x" "$dir"/*.deb
	echo "$2" > "$dir/abi"
	echo "/usr/src/linux-headers-$2-amd64" > "$dir/kdir"
}

# The modules a guest needs to mount the host's file system over 9p
# (vm/run.sh --hostfs), with what they depend on: uncompressed into $2, and
# $2/order lists them in an order insmod takes.
HOSTFS_MODULES="virtio_pci 9pnet_virtio 9p"
keep_modules() {	# $1 = the image's lib/modules/ABI, $2 = destination
	local todo=($HOSTFS_MODULES) done=" " m f dep order=()
	mkdir -p "$2"
	while [ ${#todo[@]} -gt 0 ]; do
		m=${todo[-1]}
		f=$(find "$1" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
		if [ -z "$f" ]; then	# built in
			unset 'todo[-1]'; done+="$m "; continue
		fi
		local pending=0
		for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
			dep=${dep//-/_}
			[[ "$done" == *" $dep "* ]] && continue
			todo+=("$dep") pending=1
		done
		[ $pending = 1 ] && continue
		unset 'todo[-1]'
		[[ "$done" == *" $m "* ]] && continue
		done+="$m "
		case "$f" in
		*.xz) xz -dc "$f" > "$2/$m.ko" ;;
		*) cp "$f" "$2/$m.ko" ;;
		esac
		order+=("$m.ko")
	done
	printf '%s\n' "${order[@]}" > "$2/order"
}

packages_missing() {
	local p abi
	for p in $BASE_PKGS linux-source-6.12; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			return 0
	done
	for abi in "$(newest_abi 6.1)" "$(newest_abi 6.12)" "$(newest_abi rt)"; do
		[ -n "$abi" ] && [ -d "/usr/src/linux-headers-$abi-amd64" ] || return 0
	done
	return 1
}

main() {
	if packages_missing || [ $print_only = 1 ]; then
		need_root
		if ! have_backports; then
			printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$BPO_SRC"
		fi
		apt-get update -q >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $BASE_PKGS linux-source-6.12 \
			"linux-headers-$(newest_abi 6.1)-amd64" \
			"linux-headers-$(newest_abi 6.12)-amd64" \
			"linux-headers-$(newest_abi rt)-amd64" >/dev/null
	fi
	# guest kernel images: any user may fetch them into the cache, one
	# deps.sh at a time (each replaces a lane's folder whole)
	mkdir -p "$MXCHAN_CACHE"
	exec 9>"$MXCHAN_CACHE/.deps.lock"
	flock 9
	local lane abi
	for lane in 6.1 6.12 rt; do
		if [ -f "$MXCHAN_CACHE/kernel-$lane/vmlinuz" ] &&
		   [ -f "$MXCHAN_CACHE/kernel-$lane/modules/order" ] &&
		   [ -d "$(cat "$MXCHAN_CACHE/kernel-$lane/kdir")" ]; then
			continue
		fi
		abi=$(newest_abi $lane)
		[ -n "$abi" ] || { echo "deps: no $lane kernel found in apt" >&2; exit 1; }
		fetch_image $lane "$abi"
		echo "deps: lane $lane is $abi, in $MXCHAN_CACHE/kernel-$lane"
	done
}

main
