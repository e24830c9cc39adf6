# mxchan: Magenta channels and handles for Linux.
#
#   make              libmx, the selftests, and mxchan.ko for the running kernel
#                     (if its headers are installed)
#   make module       mxchan.ko for KDIR (default: the running kernel)
#   make check        the selftests in QEMU on every kernel lane (6.1 6.12 debug)
#   make check-syz    only the host checks of the syzkaller description (syz/)
#   make coverage     line coverage of module/ under the selftests (gcov, on
#                     the debug kernel; also run by make check)
#   make demo         the example program, in QEMU
#   make bench        mxchan against AF_UNIX, pipes and socketpairs, in one
#                     QEMU boot (BENCHMARKS.md) [ICOUNT=1] [BENCH_ARGS=...]
#   make bench-host   the same benchmark here, with mxchan.ko loaded
#   make bench-profile ROW='write+read 64 B'   where one row's time goes
#   make vm-run RUN='cmd' [ADD='file...'] [KERNEL=6.1|6.12|debug] [TIMEOUT=sec]
#   make stress       the ioctl fuzzer for 20M calls on the debug lane
#                     [STRESS_CALLS=N] [SEED=N] [STRESS_KERNEL=lane]
#   make deps         install the build and test packages (as root)

VERSION := 0.1.0
SOVERSION := 0
KDIR ?= /lib/modules/$(shell uname -r)/build
B := build
LANES ?= 6.1 6.12 debug
KERNEL ?= 6.12

export MXCHAN_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/mxchan
KSELFTEST_DIR ?= $(MXCHAN_CACHE)/kselftest

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

CC ?= cc
LIB_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O2 -g -fPIC -fvisibility=hidden \
	-Wall -Wextra -Werror -Ilib/include -Ilib -Iuapi $(CFLAGS)

LIB_SRCS := lib/call.c lib/mx.c lib/port.c lib/spawn.c lib/status.c lib/wait.c
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(B)/lib/%.o)
LIB_HDRS := $(shell find lib/include -name '*.h') lib/mx-internal.h \
	uapi/linux/mxchan.h uapi/linux/mxchan-errno.h

.PHONY: all lib module selftests examples check demo vm-run deps clean \
	kselftest-headers $(LANES:%=module-%) $(LANES:%=kernel-%)

all: lib selftests examples bench-build
	@if [ -d $(KDIR) ]; then $(MAKE) --no-print-directory module; \
	else echo "note: no headers at $(KDIR); mxchan.ko not built (make module KDIR=...)"; fi

# --- libmx -----------------------------------------------------------------
lib: $(B)/lib/libmx.a $(B)/lib/libmx.so $(B)/lib/libmx.pc

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

$(B)/lib/libmx.pc: lib/libmx.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

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

kernel-6.1 kernel-6.12:
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

# --- the benchmark (bench/mxbench.c, BENCHMARKS.md) -------------------------
.PHONY: bench bench-build bench-host bench-profile
bench-build: $(B)/bench/mxbench

$(B)/bench/mxbench: bench/mxbench.c $(B)/lib/libmx.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -static -pthread \
		$< -Iuapi $$(pkg-config --cflags --libs lib/libmx-uninstalled.pc) -o $@

bench:
	vm/bench.sh $(if $(ICOUNT),--icount) -- $(BENCH_ARGS)

bench-profile:
	vm/bench-profile.sh '$(ROW)'

bench-host: bench-build
	$(B)/bench/mxbench --note "host $$(uname -n)" $(BENCH_ARGS)

# --- QEMU ------------------------------------------------------------------
deps:
	vm/deps.sh

check:
	vm/check.sh $(LANES)

# Also run by make check (with the debug lane).
.PHONY: coverage
coverage:
	@vm/deps.sh
	@vm/coverage.sh

# Also run by make check; needs only a C compiler.
.PHONY: check-syz
check-syz:
	syz/check-syz.sh

demo:
	vm/deps.sh
	$(MAKE) --no-print-directory examples module-$(KERNEL)
	vm/run.sh --kernel $(KERNEL) --module $(B)/module-$(KERNEL)/mxchan.ko \
		--add $(B)/examples/demo -- demo

vm-run:
	vm/deps.sh
	$(MAKE) --no-print-directory module-$(KERNEL)
	vm/run.sh --kernel $(KERNEL) --module $(B)/module-$(KERNEL)/mxchan.ko \
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

clean:
	rm -rf $(B)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
