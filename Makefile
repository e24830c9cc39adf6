# mxchan: Magenta channels and handles for Linux.
#
#   make              libmx, the selftests, and mxchan.ko for the running kernel
#                     (if its headers are installed)
#   make module       mxchan.ko for KDIR (default: the running kernel)
#   make check        the selftests in QEMU on every kernel lane (6.1 6.12 debug
#                     rt: Debian's 6.12 PREEMPT_RT kernel)
#   make check-syz    only the host checks of the syzkaller description (syz/)
#   make check-man | check-hygiene | check-install | check-dkms | check-trace
#                     one of make check's other checks: man pages, checkpatch
#                     and sparse, make install into a DESTDIR, dkms build
#                     (root), perf on the tracepoints in a guest
#   make coverage     line coverage of module/ under the selftests (gcov, on
#                     the debug kernel; make check's debug lane runs so)
#   make demo         the example program, in QEMU, ending with mxstat's table
#                     of its processes and their graph as a picture [DEMO_SVG=]
#   make demo-picture the demo, its picture copied to docs/demo-graph.svg
#   make rust-example examples/rust-echo: a C program and a Rust one (Debian's
#                     fuchsia-zircon crate) over a channel; run it in QEMU with
#                     make vm-run RUN=echo-parent ADD='build/examples/echo-parent
#                     build/examples/rust-echo'
#   make rust-tests   the fuchsia-zircon crate's own tests, for make check's guests
#   make bench        mxchan against AF_UNIX, pipes and socketpairs, in one
#                     QEMU boot (BENCHMARKS.md) [ICOUNT=1] [BENCH_ARGS=...]
#   make bench-host   the same benchmark here, with mxchan.ko loaded
#   make bench-profile ROW='write+read 64 B'   where one row's time goes
#   make bench-doc    both runs, their tables spliced into BENCHMARKS.md
#   make vm-run RUN='cmd' [ADD='file...'] [KERNEL=6.1|6.12|debug] [TIMEOUT=sec]
#                     any host program (python3, C++, Rust) against the
#                     module: the guest runs on this host's file system
#                     (not for debug; HOSTFS=0 for the busybox guest)
#   make stress       the ioctl fuzzer for 20M calls on the debug lane
#                     [STRESS_CALLS=N] [SEED=N] [STRESS_KERNEL=lane]
#   make deps         install the build and test packages (as root)
#   make tools        mxstat: who holds which handles, across processes
#   make install      libmx, headers, mxstat, man pages, mxchan.ko [DESTDIR= PREFIX= KDIR=]
#                     (and make uninstall, dkms-install, dkms-uninstall)

VERSION := 0.1.0
SOVERSION := 0
KDIR ?= /lib/modules/$(shell uname -r)/build
B := build
LANES ?= 6.1 6.12 debug rt
KERNEL ?= 6.12

export MXCHAN_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/mxchan
KSELFTEST_DIR ?= $(MXCHAN_CACHE)/kselftest

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

CC ?= cc
LIB_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O2 -g -fPIC -fvisibility=hidden \
	-Wall -Wextra -Werror -Ilib/include -Ilib -Iuapi $(CFLAGS)

LIB_SRCS := lib/call.c lib/cprng.c lib/mx.c lib/port.c lib/spawn.c lib/status.c lib/timer.c lib/wait.c
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(B)/lib/%.o)
LIB_HDRS := $(shell find lib/include -name '*.h') lib/mx-internal.h \
	uapi/linux/mxchan.h uapi/linux/mxchan-errno.h

.PHONY: all lib module selftests examples check demo vm-run deps clean \
	kselftest-headers $(LANES:%=module-%) $(LANES:%=kernel-%) \
	install install-lib install-man install-module \
	uninstall uninstall-lib uninstall-man uninstall-module \
	dkms-install dkms-uninstall

all: lib selftests examples tools bench-build
	@if [ -d $(KDIR) ]; then $(MAKE) --no-print-directory module; \
	else echo "note: no headers at $(KDIR); mxchan.ko not built (make module KDIR=...)"; fi

# --- libmx -----------------------------------------------------------------
lib: $(B)/lib/libmx.a $(B)/lib/libmx.so $(B)/lib/libmx.pc zircon

$(B)/lib/%.o: lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(B)/lib/libmx.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/lib/libmx.so.$(VERSION): $(LIB_OBJS) lib/libmx.map
	$(CC) -shared -Wl,-soname,libmx.so.$(SOVERSION) \
		-Wl,--version-script=lib/libmx.map -o $@ $(LIB_OBJS)

$(B)/lib/libmx.so: $(B)/lib/libmx.so.$(VERSION)
	ln -sf libmx.so.$(VERSION) $(B)/lib/libmx.so.$(SOVERSION)
	ln -sf libmx.so.$(SOVERSION) $@

# a pkg-config file from its .pc.in, for PREFIX, LIBDIR and INCLUDEDIR
PC_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|'

$(B)/lib/libmx.pc $(B)/lib/zircon.pc: $(B)/lib/%.pc: lib/%.pc.in Makefile
	$(PC_SUBST) $< > $@

# --- libzircon: the zx_ names of early 2018 over libmx ---------------------
# The <zircon/...> and <zx/...> headers are made from the Magenta ones at
# each build (lib/gen-zircon-headers.sh), into $(B)/include. libzircon.so
# needs libmx.so (one handle table per process); libzircon.a holds libmx's
# objects too. zx_status_get_string is lib/status.c built a second time.
ZX_HDR_STAMP := $(B)/include/.zircon-headers
ZX_OBJS := $(B)/lib/zircon.o $(B)/lib/zircon-status.o
ZX_CFLAGS := $(LIB_CFLAGS) -I$(B)/include

.PHONY: zircon zircon-headers
zircon: zircon-headers $(B)/lib/libzircon.a $(B)/lib/libzircon.so $(B)/lib/zircon.pc
zircon-headers: $(ZX_HDR_STAMP)

$(ZX_HDR_STAMP): lib/gen-zircon-headers.sh $(shell find lib/include/magenta lib/include/mx -name '*.h')
	@mkdir -p $(@D)
	lib/gen-zircon-headers.sh lib/include $(B)/include
	@touch $@

$(B)/lib/zircon.o: lib/zircon.c $(LIB_HDRS) $(ZX_HDR_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ZX_CFLAGS) -c $< -o $@

$(B)/lib/zircon-status.o: lib/status.c $(LIB_HDRS) $(ZX_HDR_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ZX_CFLAGS) -DZX_STATUS_NAMES -c $< -o $@

$(B)/lib/libzircon.a: $(ZX_OBJS) $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/lib/libzircon.so.$(VERSION): $(ZX_OBJS) lib/libzircon.map $(B)/lib/libmx.so
	$(CC) -shared -Wl,-soname,libzircon.so.$(SOVERSION) \
		-Wl,--version-script=lib/libzircon.map -Wl,--no-undefined \
		-o $@ $(ZX_OBJS) -L$(B)/lib -lmx

$(B)/lib/libzircon.so: $(B)/lib/libzircon.so.$(VERSION)
	ln -sf libzircon.so.$(VERSION) $(B)/lib/libzircon.so.$(SOVERSION)
	ln -sf libzircon.so.$(SOVERSION) $@

# --- the module ------------------------------------------------------------
module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# One out-of-tree build per lane, each in its own copy of the sources;
# a compiler warning fails it.
$(LANES:%=module-%): module-%: kernel-%
	@mkdir -p $(B)/module-$*
	@cp -a Kbuild module uapi $(B)/module-$*/
	@$(MAKE) -s -C $$(cat $(MXCHAN_CACHE)/kernel-$*/kdir) M=$(CURDIR)/$(B)/module-$* KCFLAGS=-Werror \
		modules > $(B)/module-$*/build.log 2>&1; rc=$$?; \
		grep -v 'Skipping BTF generation' $(B)/module-$*/build.log; exit $$rc

# The coverage step's module: the debug lane's kernel, gcov counters in
# every file (MXCHAN_COVERAGE=1, see Kbuild); the .gcno files stay beside
# the objects in $(B)/module-coverage/module/.
.PHONY: module-coverage
module-coverage: kernel-debug
	@mkdir -p $(B)/module-coverage
	@cp -a Kbuild module uapi $(B)/module-coverage/
	@$(MAKE) -s -C $$(cat $(MXCHAN_CACHE)/kernel-debug/kdir) M=$(CURDIR)/$(B)/module-coverage \
		KCFLAGS=-Werror MXCHAN_COVERAGE=1 modules > $(B)/module-coverage/build.log 2>&1; rc=$$?; \
		grep -v 'Skipping BTF generation' $(B)/module-coverage/build.log; exit $$rc

# The lane kernels: each script is a no-op when its cache is current.
kernel-debug: kernel-6.12
	@vm/build-debug-kernel.sh

kernel-6.1 kernel-6.12 kernel-rt:
	@vm/deps.sh

# --- selftests ---------------------------------------------------------------
kselftest-headers: $(KSELFTEST_DIR)/kselftest_harness.h

$(KSELFTEST_DIR)/kselftest_harness.h:
	vm/kselftest-headers.sh $(KSELFTEST_DIR)

selftests: lib kselftest-headers
	$(MAKE) -C selftests KSELFTEST_DIR=$(KSELFTEST_DIR) \
		OUTPUT=$(CURDIR)/$(B)/selftests

# --- examples ----------------------------------------------------------------
EXAMPLES := $(patsubst examples/%.c,$(B)/examples/%,$(wildcard examples/*.c))
examples: $(EXAMPLES)

$(B)/examples/%: examples/%.c $(B)/lib/libmx.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -static \
		$< $$(pkg-config --cflags --libs lib/libmx-uninstalled.pc) -o $@

# --- tools: mxstat, who holds which handles (tools/mxstat.c, mxstat(1)) ----
# Needs no libmx (it reads debugfs and /proc); static, as the examples, so
# it runs in the guests too (selftests/Makefile builds the copy they get).
TOOLS := $(patsubst tools/%.c,$(B)/tools/%,$(wildcard tools/*.c))
.PHONY: tools install-tools uninstall-tools
tools: $(TOOLS)

$(B)/tools/%: tools/%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -static $< -o $@

# --- Rust: Debian's fuchsia-zircon crate over libzircon (rust/) -------------
# rust-tests: the crate's own tests, built unchanged (make check runs them
# in the guests). rust-example: examples/rust-echo, a C program and a Rust
# one talking over a channel. rust/cargo.sh is Debian's cargo, offline and
# static; compiled crates stay in $(MXCHAN_CACHE)/rust-target.
RUST_TARGET = $(MXCHAN_CACHE)/rust-target
.PHONY: rust-tests rust-example
rust-tests: lib
	rust/build-crate-tests.sh

rust-example: $(B)/examples/echo-parent $(B)/examples/rust-echo

$(B)/examples/echo-parent: examples/rust-echo/echo-parent.c $(B)/lib/libmx.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -static \
		$< $$(pkg-config --cflags --libs lib/libmx-uninstalled.pc) -o $@

# cargo does not see libzircon.a change: clean the package, so it relinks
$(B)/examples/rust-echo: examples/rust-echo/Cargo.toml examples/rust-echo/src/main.rs \
		$(B)/lib/libzircon.a rust/cargo.sh rust/cargo-config.toml
	@mkdir -p $(@D)
	CARGO_TARGET_DIR=$(RUST_TARGET)/examples rust/cargo.sh clean -q --release \
		-p rust-echo --manifest-path examples/rust-echo/Cargo.toml
	CARGO_TARGET_DIR=$(RUST_TARGET)/examples rust/cargo.sh build -q --release \
		--manifest-path examples/rust-echo/Cargo.toml
	strip --strip-debug -o $@ $(RUST_TARGET)/examples/release/rust-echo

# --- the benchmark (bench/mxbench.c, BENCHMARKS.md) -------------------------
.PHONY: bench bench-build bench-host bench-profile bench-doc
bench-build: $(B)/bench/mxbench

$(B)/bench/mxbench: bench/mxbench.c $(B)/lib/libmx.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -static -pthread \
		$< $$(pkg-config --cflags --libs lib/libmx-uninstalled.pc) -o $@

bench:
	vm/bench.sh $(if $(ICOUNT),--icount) -- $(BENCH_ARGS)

bench-profile:
	vm/bench-profile.sh $(if $(ICOUNT),--icount) $(if $(SYMBOLS),--symbols $(SYMBOLS)) '$(ROW)'

bench-doc:
	vm/bench-doc.sh

bench-host: bench-build
	$(B)/bench/mxbench --note "host $$(uname -n)" $(BENCH_ARGS)

# --- QEMU ------------------------------------------------------------------
deps:
	vm/deps.sh

check:
	vm/check.sh $(LANES)

# make check's debug lane runs the gcov module and reports the same way.
.PHONY: coverage
coverage:
	@vm/deps.sh
	@vm/coverage.sh

# Also run by make check; needs only a C compiler.
.PHONY: check-syz
check-syz:
	syz/check-syz.sh

# The other checks make check runs, one at a time (TAP on stdout): the host
# checks of checks/ (check-dkms ends with the module it built in a guest), the
# man pages, and the guest test check-trace (vm/).
.PHONY: check-man check-hygiene check-install check-dkms check-trace
check-man: lib
	man/check-man.sh $(B)/lib

check-hygiene:
	checks/check-hygiene.sh

check-install:
	checks/check-install.sh

check-dkms:
	checks/check-dkms.sh

# the tracepoints through perf in a guest: perf record -e 'mxchan:*' -- demo
check-trace:
	vm/check-trace.sh $(KERNEL)

# The demo on this host's own file system (vm/run.sh --hostfs), so that
# mxstat --svg finds Graphviz; the picture is written to DEMO_SVG.
DEMO_SVG ?= $(B)/demo/mxchan-demo.svg
demo:
	vm/deps.sh
	$(MAKE) --no-print-directory examples tools module-$(KERNEL)
	@mkdir -p $(dir $(DEMO_SVG))
	@rm -f $(DEMO_SVG)
	vm/run.sh --kernel $(KERNEL) --hostfs --rw $(dir $(DEMO_SVG)) \
		--module $(B)/module-$(KERNEL)/mxchan.ko \
		--add $(B)/examples/demo --add $(B)/tools/mxstat -- \
		demo --svg $(DEMO_SVG)
	@test -s $(DEMO_SVG) && echo "demo: the picture of who holds what: $(DEMO_SVG)"

# The README's picture, docs/demo-graph.svg, made again by the demo.
.PHONY: demo-picture
demo-picture:
	$(MAKE) --no-print-directory demo DEMO_SVG=$(B)/demo/demo-graph.svg
	cp $(B)/demo/demo-graph.svg docs/demo-graph.svg

# On the host's own file system (so dynamically linked programs run), but
# for the debug lane, whose kernel has no 9p, or with HOSTFS=0.
vm-run:
	vm/deps.sh
	$(MAKE) --no-print-directory module-$(KERNEL)
	vm/run.sh --kernel $(KERNEL) --module $(B)/module-$(KERNEL)/mxchan.ko \
		$(if $(filter debug,$(KERNEL))$(filter 0,$(HOSTFS)),,--hostfs) \
		$(if $(TIMEOUT),--timeout $(TIMEOUT)) \
		$(foreach f,$(ADD),--add $(f)) -- sh -c '$(RUN)'

# The ioctl fuzzer (selftests/fuzz_test.c) for many more calls than make
# check gives it; the VM's time limit allows 2000 calls a second.
STRESS_CALLS ?= 20000000
STRESS_KERNEL ?= debug
.PHONY: stress
stress: selftests
	$(MAKE) --no-print-directory vm-run KERNEL=$(STRESS_KERNEL) \
		TIMEOUT=$$(( $(STRESS_CALLS) / 2000 + 600 )) \
		ADD=$(B)/selftests/fuzz_test \
		RUN='MXCHAN_FUZZ_CALLS=$(STRESS_CALLS) $(if $(SEED),MXCHAN_FUZZ_SEED=$(SEED) )fuzz_test'

# --- install -------------------------------------------------------------------
# make install [DESTDIR=dir] [PREFIX=/usr/local] [KDIR=...] installs
#   BINDIR         mxstat (tools/)
#   LIBDIR         libmx.so.$(VERSION), its libmx.so.$(SOVERSION) and libmx.so
#                  links, libmx.a; libzircon the same way
#   INCLUDEDIR     every header of lib/include (<magenta/...>, <mxchan.h>,
#                  <mx/...>), the generated <zircon/...> and <zx/...>, and
#                  the module's ABI, <linux/mxchan.h> and
#                  <linux/mxchan-errno.h>, under INCLUDEDIR/mxchan/linux (not
#                  INCLUDEDIR/linux, which is the distribution's): libmx.pc puts
#                  INCLUDEDIR/mxchan on the include path, so the ABI is
#                  included by the same name as in this tree
#   PKGCONFIGDIR   libmx.pc and zircon.pc, for PREFIX (not DESTDIR)
#   MANDIR         man/man*/*
#   /lib/modules/RELEASE/$(INSTALL_MOD_DIR)/   mxchan.ko for KDIR, by kbuild's
#                  modules_install, then depmod; skipped, with a note, when
#                  KDIR has no kernel headers
# make uninstall, with the same variables, removes those files again.
# make dkms-install copies the module's sources and dkms.conf to
# $(DESTDIR)$(DKMS_SOURCE_TREE)/mxchan-$(VERSION); without DESTDIR it also runs
# $(DKMS) add, build and install (for KDIR's release); make dkms-uninstall
# undoes it. DKMS may carry options (checks/check-dkms.sh points --dkmstree,
# --sourcetree and --installtree at a private tree).
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL ?= install
INSTALL_MOD_DIR ?= updates
DEPMOD ?= depmod
DKMS ?= dkms
DKMS_SOURCE_TREE ?= /usr/src
# The release the module is built for, as the kernel reports it (uname -r):
# UTS_RELEASE, because a Debian headers tree may carry another string in
# include/config/kernel.release. Empty when KDIR has no headers.
ifeq ($(origin KRELEASE),undefined)
KRELEASE := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
endif

INST_HDRS := $(patsubst lib/include/%,%,$(sort $(shell find lib/include -type f \
	! -name '.*' ! -name '*~')))
INST_HDR_DIRS := $(sort $(filter-out .,$(patsubst %/,%,$(dir $(INST_HDRS)))))
INST_ABI_HDRS := $(notdir $(wildcard uapi/linux/*.h))
# the generated <zircon/...> and <zx/...>, one per Magenta header
ZX_INST_HDRS := $(patsubst magenta/%,zircon/%,$(patsubst mx/%,zx/%,$(filter magenta/% mx/%,$(INST_HDRS))))
ZX_INST_HDR_DIRS := $(sort $(patsubst %/,%,$(dir $(ZX_INST_HDRS))))
INST_MAN := $(sort $(wildcard man/man[1-9]/*.[1-9]))
MOD_INST_DIR = $(DESTDIR)/lib/modules/$(KRELEASE)
MOD_BUILD_DIR = $(B)/module-install/$(KRELEASE)
DKMS_DIR = $(DESTDIR)$(DKMS_SOURCE_TREE)/mxchan-$(VERSION)
# the files depmod writes next to the modules
DEPMOD_FILES := modules.alias modules.alias.bin modules.builtin.alias.bin \
	modules.builtin.bin modules.dep modules.dep.bin modules.devname \
	modules.softdep modules.symbols modules.symbols.bin modules.weakdep

install: install-lib install-tools install-man install-module install-python

install-tools: tools
	$(INSTALL) -d $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/

install-lib: lib
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(INCLUDEDIR)/mxchan/linux \
		$(INST_HDR_DIRS:%=$(DESTDIR)$(INCLUDEDIR)/%)
	$(INSTALL) -m 644 $(B)/lib/libmx.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libmx.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmx.so.$(SOVERSION)
	ln -sf libmx.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libmx.so
	$(INSTALL) -m 644 $(B)/lib/libmx.a $(DESTDIR)$(LIBDIR)/
	@set -e; for h in $(INST_HDRS); do \
		echo "$(INSTALL) -m 644 lib/include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h"; \
		$(INSTALL) -m 644 lib/include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h; done
	$(INSTALL) -m 644 $(INST_ABI_HDRS:%=uapi/linux/%) $(DESTDIR)$(INCLUDEDIR)/mxchan/linux/
	@mkdir -p $(B)/install
	$(PC_SUBST) lib/libmx.pc.in > $(B)/install/libmx.pc
	$(INSTALL) -m 644 $(B)/install/libmx.pc $(DESTDIR)$(PKGCONFIGDIR)/libmx.pc
	$(INSTALL) -m 644 $(B)/lib/libzircon.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libzircon.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libzircon.so.$(SOVERSION)
	ln -sf libzircon.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libzircon.so
	$(INSTALL) -m 644 $(B)/lib/libzircon.a $(DESTDIR)$(LIBDIR)/
	@set -e; for h in $(ZX_INST_HDRS); do \
		echo "$(INSTALL) -m 644 -D $(B)/include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h"; \
		$(INSTALL) -m 644 -D $(B)/include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h; done
	$(PC_SUBST) lib/zircon.pc.in > $(B)/install/zircon.pc
	$(INSTALL) -m 644 $(B)/install/zircon.pc $(DESTDIR)$(PKGCONFIGDIR)/zircon.pc
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

install-man:
	@set -e; for m in $(INST_MAN); do \
		d=$(DESTDIR)$(MANDIR)/$$(basename $$(dirname $$m)); \
		echo "$(INSTALL) -m 644 $$m $$d/"; \
		$(INSTALL) -d $$d; $(INSTALL) -m 644 $$m $$d/; done
	@[ -n "$(INST_MAN)" ] || echo "note: no man pages under man/"

# A private copy of the sources per release, so the tree stays clean and
# kernels do not share objects; KERNELRELEASE names the /lib/modules directory.
# A kernel with CONFIG_MODULE_SIG_ALL makes modules_install try its signing
# key; distribution headers do not have it, so sign-file prints an SSL error
# and the module is installed unsigned (kbuild carries on). Where unsigned
# modules are refused (Secure Boot), use make dkms-install: dkms signs them.
install-module:
	@if [ -z "$(KRELEASE)" ] || [ ! -f $(KDIR)/Makefile ]; then \
		echo "note: no kernel headers at $(KDIR): mxchan.ko skipped" \
		     "(make install-module KDIR=/lib/modules/RELEASE/build)"; exit 0; fi; \
	set -e; mkdir -p $(B)/install $(MOD_BUILD_DIR); \
	cp -a Kbuild module uapi $(MOD_BUILD_DIR)/; \
	echo "$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MOD_BUILD_DIR) modules modules_install"; \
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MOD_BUILD_DIR) KERNELRELEASE=$(KRELEASE) modules; \
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MOD_BUILD_DIR) KERNELRELEASE=$(KRELEASE) \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install; \
	$(call mxchan_depmod,install)

# $(1): install or uninstall. Without DESTDIR depmod must work; in a
# staging root it may not (no depmod, or a tree it cannot read), which is
# only a note: the target system's depmod indexes the module.
mxchan_depmod = PATH="$$PATH:/sbin:/usr/sbin"; \
	if [ -z "$(DESTDIR)" ]; then \
		echo "$(DEPMOD) -a $(KRELEASE)"; $(DEPMOD) -a $(KRELEASE); \
	elif $(DEPMOD) -a -b $(DESTDIR) $(KRELEASE) 2>$(B)/install/depmod.err; then \
		echo "$(DEPMOD) -a -b $(DESTDIR) $(KRELEASE)"; \
	else \
		echo "note: depmod could not run in $(DESTDIR) ($$(head -n1 $(B)/install/depmod.err));" \
		     "run depmod -a $(KRELEASE) on the target after $(1)"; \
	fi

uninstall: uninstall-lib uninstall-tools uninstall-man uninstall-module uninstall-python

uninstall-tools:
	rm -f $(TOOLS:$(B)/tools/%=$(DESTDIR)$(BINDIR)/%)

uninstall-lib:
	rm -f $(DESTDIR)$(LIBDIR)/libmx.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libmx.so.$(SOVERSION) \
		$(DESTDIR)$(LIBDIR)/libmx.so $(DESTDIR)$(LIBDIR)/libmx.a \
		$(DESTDIR)$(PKGCONFIGDIR)/libmx.pc
	rm -f $(DESTDIR)$(LIBDIR)/libzircon.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libzircon.so.$(SOVERSION) \
		$(DESTDIR)$(LIBDIR)/libzircon.so $(DESTDIR)$(LIBDIR)/libzircon.a \
		$(DESTDIR)$(PKGCONFIGDIR)/zircon.pc
	rm -f $(INST_HDRS:%=$(DESTDIR)$(INCLUDEDIR)/%) \
		$(INST_ABI_HDRS:%=$(DESTDIR)$(INCLUDEDIR)/mxchan/linux/%)
	rm -f $(ZX_INST_HDRS:%=$(DESTDIR)$(INCLUDEDIR)/%)
	@for d in $$(printf '%s\n' $(INST_HDR_DIRS) $(ZX_INST_HDR_DIRS) mxchan/linux mxchan | sort -r); do \
		if [ -d $(DESTDIR)$(INCLUDEDIR)/$$d ]; then \
			rmdir --ignore-fail-on-non-empty $(DESTDIR)$(INCLUDEDIR)/$$d; fi; done
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

uninstall-man:
	rm -f $(foreach m,$(INST_MAN),$(DESTDIR)$(MANDIR)/$(notdir $(patsubst %/,%,$(dir $(m))))/$(notdir $(m)))

# The Python package (python/mxchan), in a directory Debian's python3
# searches for PREFIX: /usr/lib/python3/dist-packages for PREFIX=/usr,
# PREFIX/lib/python3.X/dist-packages otherwise (/usr/local/lib/python3.11/
# dist-packages is on Debian's sys.path, /usr/local/lib/python3/... is not).
# Not byte-compiled; uninstall also removes the __pycache__ an import made.
.PHONY: install-python uninstall-python
PYTHON ?= /usr/bin/python3
PYTHON_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python$(or $(PYTHON_VERSION),3)/dist-packages)
PY_FILES := $(sort $(wildcard python/mxchan/*.py))

install-python:
	$(INSTALL) -d $(DESTDIR)$(PYTHONDIR)/mxchan
	$(INSTALL) -m 644 $(PY_FILES) $(DESTDIR)$(PYTHONDIR)/mxchan/

uninstall-python:
	rm -f $(PY_FILES:python/mxchan/%=$(DESTDIR)$(PYTHONDIR)/mxchan/%)
	rm -rf $(DESTDIR)$(PYTHONDIR)/mxchan/__pycache__
	@if [ -d $(DESTDIR)$(PYTHONDIR)/mxchan ]; then \
		rmdir --ignore-fail-on-non-empty $(DESTDIR)$(PYTHONDIR)/mxchan; fi

# In a staging root that holds no other module, the depmod index goes too
# (install made it); otherwise depmod runs again without mxchan.ko.
uninstall-module:
	@if [ -z "$(KRELEASE)" ]; then \
		echo "note: no kernel headers at $(KDIR) to name the release:" \
		     "mxchan.ko left in place (make uninstall-module KRELEASE=...)"; exit 0; fi; \
	set -e; d=$(MOD_INST_DIR)/$(INSTALL_MOD_DIR); \
	echo "rm -f $$d/mxchan.ko*"; \
	rm -f $$d/mxchan.ko $$d/mxchan.ko.xz $$d/mxchan.ko.gz $$d/mxchan.ko.zst; \
	[ -d $(MOD_INST_DIR) ] || exit 0; \
	if [ -n "$(DESTDIR)" ] && [ -z "$$(find $(MOD_INST_DIR) -name '*.ko*' | head -n1)" ]; then \
		echo "rm -f $(MOD_INST_DIR)/modules.* (the depmod index make install wrote)"; \
		rm -f $(DEPMOD_FILES:%=$(MOD_INST_DIR)/%); \
	else mkdir -p $(B)/install; $(call mxchan_depmod,uninstall); fi

# dkms builds with its default command (make -C KERNEL M=...), which reads
# Kbuild, so the copy needs no Makefile.
dkms-install:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf); \
	if [ "$$v" != "$(VERSION)" ]; then \
		echo "dkms.conf: PACKAGE_VERSION is '$$v', the Makefile's VERSION is $(VERSION)" >&2; \
		exit 1; fi
	@# dkms skips a version it built already: the old one goes first
	@if [ -z "$(DESTDIR)" ] && command -v $(firstword $(DKMS)) >/dev/null && \
	   $(DKMS) status -m mxchan -v $(VERSION) | grep -q .; then \
		echo "$(DKMS) remove -m mxchan -v $(VERSION) --all"; \
		$(DKMS) remove -m mxchan -v $(VERSION) --all; fi
	rm -rf $(DKMS_DIR)
	$(INSTALL) -d $(DKMS_DIR)/module $(DKMS_DIR)/uapi/linux
	$(INSTALL) -m 644 Kbuild dkms.conf $(DKMS_DIR)/
	$(INSTALL) -m 644 $(wildcard module/*.c module/*.h) $(DKMS_DIR)/module/
	$(INSTALL) -m 644 $(wildcard uapi/linux/*.h) $(DKMS_DIR)/uapi/linux/
	@if [ -n "$(DESTDIR)" ]; then exit 0; fi; set -e; \
	if ! $(DKMS) status -m mxchan -v $(VERSION) | grep -q .; then \
		echo "$(DKMS) add -m mxchan -v $(VERSION)"; \
		$(DKMS) add -m mxchan -v $(VERSION); fi; \
	if [ -z "$(KRELEASE)" ]; then \
		echo "note: no kernel headers at $(KDIR): added to dkms, not built" \
		     "(dkms builds it when a kernel with headers is installed)"; exit 0; fi; \
	echo "$(DKMS) build -m mxchan -v $(VERSION) -k $(KRELEASE)"; \
	$(DKMS) build -m mxchan -v $(VERSION) -k $(KRELEASE); \
	echo "$(DKMS) install -m mxchan -v $(VERSION) -k $(KRELEASE)"; \
	$(DKMS) install -m mxchan -v $(VERSION) -k $(KRELEASE)

dkms-uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v $(firstword $(DKMS)) >/dev/null && \
	   $(DKMS) status -m mxchan -v $(VERSION) | grep -q .; then \
		echo "$(DKMS) remove -m mxchan -v $(VERSION) --all"; \
		$(DKMS) remove -m mxchan -v $(VERSION) --all; fi
	rm -rf $(DKMS_DIR)

clean:
	rm -rf $(B)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
