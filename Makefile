# Tessera: one Makefile for the kernel, the native user programs, the boot
# images and the tests. `make run` boots a shell-less system for now in QEMU;
# `make test` runs every test. Both install missing build dependencies first.

SHELL   := /bin/bash
BUILD   ?= build
ARCH    := x86_64
CC      := gcc
LD      := ld
TIMEOUT ?= 120

BASE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer -MMD -MP
KCFLAGS := $(BASE_CFLAGS) -fno-optimize-sibling-calls -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-Iinclude -Ikernel/include -Ikernel/arch/$(ARCH)/include -Ilib/common
UCFLAGS := $(BASE_CFLAGS) -Iinclude -Ilib/common -Ilib/rt -I$(BUILD)/gen
ULDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack

.PHONY: all run test test-unit test-os test-busybox bench debug clean deps FORCE tessera-run-deps
.PHONY: fuzz fuzz-host
all: $(BUILD)/tessera.iso

# Objects depend on the flags they were built with: a changed flag rebuilds.
.PRECIOUS: $(BUILD)/%.flags $(BUILD)/posix/bin/% $(BUILD)/posix/%/initramfs
$(BUILD)/%.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$($*)' | cmp -s - $@ || echo '$($*)' > $@

# --- dependencies ----------------------------------------------------------
DEPS_STAMP := $(BUILD)/.deps-ok
$(DEPS_STAMP): scripts/setup.sh
	@mkdir -p $(BUILD)
	scripts/setup.sh
	@touch $@
deps: $(DEPS_STAMP)

# --- kernel ----------------------------------------------------------------
KERNEL_SRCS := $(wildcard kernel/core/*.c kernel/mm/*.c kernel/lib/*.c \
	kernel/arch/$(ARCH)/*.c kernel/arch/$(ARCH)/*.S) \
	lib/common/string.c lib/common/format.c lib/common/elf.c
KERNEL_OBJS := $(patsubst %,$(BUILD)/k/%.o,$(KERNEL_SRCS)) $(BUILD)/k/linux_syscalls.o
KERNEL_LDS  := kernel/arch/$(ARCH)/linker.ld
KLDFLAGS    := -n -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
	-T $(KERNEL_LDS)

$(BUILD)/k/%.c.o: %.c $(BUILD)/KCFLAGS.flags | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/k/%.S.o: %.S $(BUILD)/KCFLAGS.flags | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

# Generated from posix/syscalls.tbl: syscall names (kernel and runtime) and
# the routing lists the process manager installs.
GEN := $(BUILD)/gen
$(GEN)/linux_syscalls.c: posix/syscalls.tbl scripts/gensyscalls.sh
	@mkdir -p $(dir $@)
	scripts/gensyscalls.sh names > $@
$(GEN)/syscall_routes.h: posix/syscalls.tbl scripts/gensyscalls.sh
	@mkdir -p $(dir $@)
	scripts/gensyscalls.sh routes > $@
# Generated from each protocol's interface file include/tessera/proto/NAME.idl
# (scripts/idlgen.py): proto/NAME.h, NAME_client.h and NAME_server.h. Every
# native object waits for them (order-only) on its first build; after that its
# .d file names the ones it includes.
PROTOS := $(basename $(notdir $(wildcard include/tessera/proto/*.idl)))
PROTO_HDRS := $(foreach p,$(PROTOS),$(GEN)/proto/$(p).h $(GEN)/proto/$(p)_client.h \
	$(GEN)/proto/$(p)_server.h)
$(GEN)/proto/%.h $(GEN)/proto/%_client.h $(GEN)/proto/%_server.h &: \
		include/tessera/proto/%.idl scripts/idlgen.py include/tessera/errno.h
	scripts/idlgen.py $< $(GEN)/proto
# the generator's host tests' protocol (tests/unit/test_idl*.c)
$(GEN)/proto/%.h $(GEN)/proto/%_client.h $(GEN)/proto/%_server.h &: \
		tests/unit/idl/%.idl scripts/idlgen.py include/tessera/errno.h
	scripts/idlgen.py $< $(GEN)/proto
$(BUILD)/k/linux_syscalls.o: $(GEN)/linux_syscalls.c $(BUILD)/KCFLAGS.flags
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

# Linked twice: the first image yields the symbol table for backtraces, which
# sits after .text in the second, so code addresses do not move.
$(BUILD)/kernel.nosyms: $(KERNEL_OBJS) $(KERNEL_LDS)
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS)
$(BUILD)/ksyms.c: $(BUILD)/kernel.nosyms scripts/gensyms.sh
	scripts/gensyms.sh $< > $@
$(BUILD)/k/ksyms.o: $(BUILD)/ksyms.c
	$(CC) $(KCFLAGS) -c $< -o $@
# The image must also load flat through QEMU's -kernel (scripts/checkflat.sh).
$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/k/ksyms.o $(KERNEL_LDS) scripts/checkflat.sh
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/k/ksyms.o
	@cmp -s <(nm -n $(BUILD)/kernel.nosyms | grep ' [tT] ') \
		<(nm -n $@ | grep ' [tT] ') || { echo "symbols moved between links" >&2; rm $@; exit 1; }
	@scripts/checkflat.sh $@ || { rm $@; exit 1; }


# --- native user programs --------------------------------------------------
RT_SRCS := $(filter-out lib/rt/crt0.S,$(wildcard lib/rt/*.c lib/rt/*.S)) \
	lib/common/string.c lib/common/format.c lib/common/elf.c lib/common/cpio.c
RT_LIB  := $(BUILD)/librt.a
RT_GEN  := $(BUILD)/u/gen/linux_syscalls.o
CRT0    := $(BUILD)/u/lib/rt/crt0.S.o

$(BUILD)/u/%.c.o: %.c $(BUILD)/UCFLAGS.flags | $(DEPS_STAMP) $(PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(BUILD)/u/%.S.o: %.S $(BUILD)/UCFLAGS.flags | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(RT_GEN): $(GEN)/linux_syscalls.c $(BUILD)/UCFLAGS.flags
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(RT_LIB): $(patsubst %,$(BUILD)/u/%.o,$(RT_SRCS)) $(RT_GEN)
	rm -f $@
	ar rcs $@ $^

# user_prog(name, sources): build/user/name from its sources and the runtime
define user_prog
$(BUILD)/user/$(1): $(CRT0) $(patsubst %,$(BUILD)/u/%.o,$(2)) $(RT_LIB)
	@mkdir -p $$(dir $$@)
	$(CC) $(ULDFLAGS) -o $$@ $$^ -lgcc
USER_PROGS += $(BUILD)/user/$(1)
endef

SERVERS := init names echo vfs
$(foreach s,$(SERVERS),$(eval $(call user_prog,$(s),$(wildcard servers/$(s)/*.c))))
$(eval $(call user_prog,pm,$(wildcard posix/pm/*.c)))
$(eval $(call user_prog,ps2,$(wildcard drivers/ps2/*.c)))
$(BUILD)/u/posix/pm/main.c.o: $(GEN)/syscall_routes.h
OS_TESTS := $(basename $(notdir $(wildcard tests/os/*.c)))
$(foreach t,$(OS_TESTS),$(eval $(call user_prog,$(t),tests/os/$(t).c)))
$(eval $(call user_prog,ipc_bench,tests/bench/ipc_bench.c))

U := $(BUILD)/user

# --- POSIX conformance programs (static musl, run on Linux and Tessera) ----
include ports/musl/musl.mk
include ports/busybox/busybox.mk

POSIX_TESTS := $(basename $(notdir $(wildcard tests/posix/*.c)))
POSIX_ISOS  := $(patsubst %,$(BUILD)/posix/%.iso,$(POSIX_TESTS))
ROOTFS      := $(shell find rootfs -type f)

# POSIX servers in every image that runs Linux programs: the VFS (console
# on the given serial port), the process manager, and the initramfs.
posix_modules = $(U)/vfs:ioport=$(1)+log+programs \
	$(U)/pm:$(2)+ioport=0x70:2+system+spawn=8+log+programs+--+$(3) $(4):posix

$(BUILD)/posix/bin/%: tests/posix/%.c tests/posix/check.h tests/posix/pty.h $(TESSERA_CC)
	@mkdir -p $(dir $@)
	$(TESSERA_CC) -O2 -Wall -Wextra -Werror -o $@ $<
# each conformance program alone in an initramfs, run once as pid 1, its
# console on the second serial port
$(BUILD)/posix/%/initramfs: $(BUILD)/posix/bin/% $(ROOTFS) scripts/mkinitramfs.sh
	@mkdir -p $(dir $@)
	scripts/mkinitramfs.sh $@ rootfs - $<:bin/$*
$(BUILD)/posix/%.iso: $(BUILD)/posix/%/initramfs $(BUILD)/kernel.elf $(U)/init $(U)/names \
		$(U)/vfs $(U)/pm scripts/mkiso.sh
	scripts/mkiso.sh $@ $(BUILD)/kernel.elf poweroff $(U)/init $(U)/names \
		$(call posix_modules,0x2f8:8,test+wait+oneshot,$*,$<)

# the root filesystem of `make run`: rootfs/ and BusyBox with its applets
$(BUILD)/rootfs/initramfs: $(ROOTFS) $(BUSYBOX_BIN) scripts/mkinitramfs.sh
	@mkdir -p $(dir $@)
	scripts/mkinitramfs.sh $@ rootfs $(BUSYBOX_BIN)

# --- the in-OS system-call fuzzer (tests/fuzz/README.md) -------------------
# a static musl program with the Linux syscall names; `make test` runs
# tests/bats/fuzz.bats (a fixed budget and the crash corpus), `make fuzz`
# a longer campaign: make fuzz SEED=7 CALLS=1000000 [FIRST=0] [FUZZ_UID=1000].
# implemented.c: the calls Tessera implements, which it makes most often.
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
$(BUILD)/fuzz/implemented.c: posix/syscalls.tbl
	@mkdir -p $(dir $@)
	{ echo '/* Generated from posix/syscalls.tbl: the calls not "enosys". */'; \
	  echo 'const unsigned short fuzz_implemented[] = {'; \
	  awk '!/^#/ && NF >= 4 && $$4 != "enosys" { printf "\t%d,\n", $$1 }' $<; \
	  echo '};'; \
	  echo 'const unsigned fuzz_nimplemented = sizeof fuzz_implemented / 2;'; } > $@
$(BUILD)/fuzz/fuzz: $(FUZZ_SRCS) tests/fuzz/fuzz.h $(GEN)/linux_syscalls.c \
		$(BUILD)/fuzz/implemented.c include/tessera/abi.h $(TESSERA_CC)
	@mkdir -p $(dir $@)
	$(TESSERA_CC) -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -o $@ $(FUZZ_SRCS) \
		$(GEN)/linux_syscalls.c $(BUILD)/fuzz/implemented.c
SEED  ?= 1
CALLS ?= 200000
FIRST ?= 0
FUZZ_UID ?= -1
fuzz: $(BUILD)/fuzz/fuzz tessera-run-deps
	tests/fuzz/run.sh $(BUILD) $(BUILD)/fuzz/run run $(SEED) $(FIRST) $(CALLS) $(FUZZ_UID)

# --- the POSIX benchmark: one initramfs for Tessera and Linux --------------
# (tests/bench/run.sh boots both): BusyBox, posix_bench and a 4 MiB file to read
BENCH := $(BUILD)/bench
$(BENCH)/posix_bench: tests/bench/posix_bench.c $(TESSERA_CC)
	@mkdir -p $(dir $@)
	$(TESSERA_CC) -O2 -Wall -Wextra -Werror -o $@ $<
$(BENCH)/data:
	@mkdir -p $(dir $@)
	yes 'tessera bench data' | head -c 4194304 > $@
$(BENCH)/initramfs: $(BENCH)/posix_bench $(BENCH)/data $(ROOTFS) $(BUSYBOX_BIN) \
		scripts/mkinitramfs.sh
	scripts/mkinitramfs.sh $@ rootfs $(BUSYBOX_BIN) $<:bin/posix_bench $(BENCH)/data:bench/data
# posix_bench_iso(name, args): posix_bench as pid 1, figures on the second serial port
define posix_bench_iso
$(BENCH)/$(1).iso: $(BENCH)/initramfs $(BUILD)/kernel.elf $(U)/init $(U)/names $(U)/vfs \
		$(U)/pm scripts/mkiso.sh
	scripts/mkiso.sh $$@ $(BUILD)/kernel.elf poweroff $(U)/init $(U)/names \
		$(call posix_modules,0x2f8:8,test+wait+oneshot,posix_bench$(2),$$<)
endef
$(eval $(call posix_bench_iso,posix_bench,))
$(eval $(call posix_bench_iso,posix_bench-quick,+50))

# --- BusyBox's own tests (tests/busybox/run.sh) ----------------------------
# One initramfs, booted in Tessera and chrooted into on the host: from the
# BusyBox source its testsuite and its shell's (shell/ash_test, where the
# source tree has them), the binary and its .config in /bbtest, and the
# scripts that run them, as pid 1: tests/busybox/suite.sh in bbtest.iso,
# tests/busybox/ash-suite.sh in ashtest.iso.
BBTEST := $(BUILD)/busybox-test
ASH_TEST_SRC := $(BUSYBOX_SRC)/shell/ash_test
# the helper programs ash_test's run-all would build with the host's gcc
ASH_TEST_HELPERS := $(patsubst %,$(BBTEST)/ash-helpers/%,printenv recho zecho)
$(BBTEST)/ash-helpers/%: $(BUSYBOX_SRC)/Makefile $(TESSERA_CC)
	@mkdir -p $(dir $@)
	$(TESSERA_CC) -O2 -o $@ $(ASH_TEST_SRC)/$*.c
$(BBTEST)/initramfs: $(ROOTFS) $(BUSYBOX_BIN) tests/busybox/suite.sh tests/busybox/skipped \
		tests/busybox/ash-suite.sh tests/busybox/ash-skipped $(ASH_TEST_HELPERS) \
		scripts/mkinitramfs.sh
	@mkdir -p $(dir $@)
	scripts/mkinitramfs.sh $@ rootfs $(BUSYBOX_BIN) tests/busybox/suite.sh:bin/bbtest-suite \
		tests/busybox/skipped:bbtest/skipped \
		tests/busybox/ash-suite.sh:bin/ashtest-suite tests/busybox/ash-skipped:bbtest/ash-skipped \
		$(BUSYBOX_BIN):bbtest/busybox $(BUSYBOX_OBJ)/.config:bbtest/.config \
		$(BUSYBOX_SRC)/testsuite:bbtest/testsuite $(ASH_TEST_SRC):bbtest/shell/ash_test \
		$(foreach h,$(ASH_TEST_HELPERS),$(h):bbtest/shell/ash_test/$(notdir $(h)))
# bbtest_iso(name): NAME.iso, /bin/NAME-suite as pid 1
define bbtest_iso
$(BBTEST)/$(1).iso: $(BBTEST)/initramfs $(BUILD)/kernel.elf $(U)/init $(U)/names $(U)/vfs \
		$(U)/pm scripts/mkiso.sh
	scripts/mkiso.sh $$@ $(BUILD)/kernel.elf poweroff $(U)/init $(U)/names \
		$(call posix_modules,0x2f8:8,test+wait+oneshot,$(1)-suite,$$<)
endef
$(eval $(call bbtest_iso,bbtest))
$(eval $(call bbtest_iso,ashtest))
BBTEST_ISOS := $(BBTEST)/bbtest.iso $(BBTEST)/ashtest.iso

# --- boot images -----------------------------------------------------------
# Each image: kernel command line, then modules as path[:arg+arg...], the
# arguments init reads (servers/init/init.c).
# pid 1 is BusyBox init, which starts a shell on each terminal
# (rootfs/etc/inittab); the VFS drives the serial console and the screen
# (text memory, cursor ports); the keyboard driver feeds the screen's terminal
comma := ,
RUN_MODULES   = $(U)/init $(U)/names \
	$(call posix_modules,0x3f8:8$(comma)0x3d4:2+irq=4+mmio=0xb8000:0x1000,,/sbin/init,$(BUILD)/rootfs/initramfs) \
	$(U)/ps2:irq=1+ioport=0x60:5+log
TEST_MODULES  := $(U)/init $(U)/names $(U)/echo:log \
	$(U)/fault_null:test+wait+expect=0x1000e+log \
	$(U)/fault_priv:test+wait+expect=0x1000d+log \
	$(U)/ipc_test:test+wait+log $(U)/names_test:test+wait+log \
	$(U)/vm_share_test:test+wait+spawn+log \
	$(U)/spin:test+log $(U)/spin:test+wait+log \
	$(U)/driver_test:test+wait+irq=8+ioport=0x70:2+mmio=0xfed00000:0x1000+dma+log \
	$(U)/noauth_test:test+wait $(U)/auth_test:test+wait+spawn=8+log
BENCH_MODULES := $(U)/init $(U)/names $(U)/echo:log $(U)/ipc_bench:test+wait+log

# Each image twice, from one module list: NAME.iso, which the firmware boots
# through GRUB from a CD, and NAME.kboot, the arguments with which QEMU loads
# the same kernel and modules itself (-kernel; scripts/mkkboot.sh).
module_paths = $(sort $(foreach m,$(1),$(firstword $(subst :, ,$(m)))))
define image
$(BUILD)/$(1).iso: $(BUILD)/kernel.elf $(call module_paths,$(3)) scripts/mkiso.sh
	scripts/mkiso.sh $$@ $(BUILD)/kernel.elf "$(2)" $(3)
$(BUILD)/$(1).kboot: $(BUILD)/kernel.elf $(call module_paths,$(3)) scripts/mkkboot.sh
	scripts/mkkboot.sh $$@ $(BUILD)/kernel.elf "$(2)" $(3)
endef
$(eval $(call image,tessera,,$(RUN_MODULES)))
$(BUILD)/tessera.iso $(BUILD)/tessera.kboot: $(U)/vfs $(U)/pm
$(eval $(call image,tessera-test,poweroff,$(TEST_MODULES)))
$(eval $(call image,tessera-bench,poweroff,$(BENCH_MODULES)))
$(eval $(call image,tessera-panic,panic_test,$(U)/init))

# --- running ---
# what scripts/tessera-run boots
tessera-run-deps: $(BUILD)/kernel.elf $(U)/init $(U)/names $(U)/vfs $(U)/pm $(BUSYBOX_BIN)

run: $(BUILD)/tessera.iso
	scripts/qemu.sh $< interactive

debug: $(BUILD)/tessera.iso
	@echo "QEMU waits for gdb on :1234; in another terminal: gdb -x scripts/gdbinit"
	scripts/qemu.sh $< interactive -s -S

# --- tests -----------------------------------------------------------------
# Pure modules run on the host; the shared printf is renamed so that it does
# not replace the C library's.
UNIT_SRCS := $(wildcard tests/unit/*.c) kernel/mm/frame_alloc.c kernel/mm/frame_ref.c kernel/mm/slab.c \
	drivers/ps2/keymap.c servers/vfs/vt.c servers/vfs/pagemap.c posix/pm/layout.c \
	posix/pm/regions.c posix/pm/retire.c \
	lib/common/elf.c lib/common/cpio.c kernel/core/captable.c kernel/lib/acpi_parse.c \
	kernel/core/multiboot1.c \
	lib/common/format.c
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Iinclude -Ikernel/include -Ilib/common -I$(GEN) \
	-Dvsnprintf=common_vsnprintf -Dsnprintf=common_snprintf
$(BUILD)/unit_tests: $(UNIT_SRCS) $(wildcard tests/unit/*.h kernel/include/*.h \
		include/tessera/*.h include/tessera/proto/*.h lib/common/*.h drivers/ps2/*.h \
		servers/vfs/vt.h servers/vfs/pagemap.h posix/pm/layout.h posix/pm/regions.h posix/pm/retire.h) \
		$(PROTO_HDRS) $(GEN)/proto/idltest_server.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) $(UNIT_SRCS) -o $@

test-unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests

# Host fuzzing of the servers' request handling (tests/hostfuzz): each
# server's code built for the host with clang's libFuzzer and sanitizers, its
# kernel calls answered by a shim. The server's code is instrumented for
# coverage, its static data moved to sections the shim saves and puts back
# after every input, its malloc the shim's; its string functions and printf
# lib/common's, as in Tessera (renamed: the C library's stay the shim's).
HF := $(BUILD)/hostfuzz
HF_SERVERS := names vfs pm
HF_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -DTESSERA_HOST_SHIM \
	-Iinclude -Ilib/common -Ilib/rt -I$(GEN)
HF_SERVER_CFLAGS := $(HF_CFLAGS) -fsanitize=fuzzer-no-link \
	-Dvsnprintf=common_vsnprintf -Dsnprintf=common_snprintf \
	-Dmalloc=hf_malloc -Dfree=hf_free -Dcalloc=hf_calloc -Drealloc=hf_realloc \
	-Dmalloc_usable_size=hf_malloc_usable_size \
	$(foreach f,memset memcpy memmove memcmp memchr strlen strnlen strcmp strncmp,-D$(f)=hf_$(f))
HF_SHIM := $(patsubst %,$(HF)/shim/%.o,shim input heap snapshot fuzz)
HF_LIB := lib/rt/args.c lib/rt/names.c lib/common/format.c lib/common/cpio.c \
	lib/common/elf.c lib/common/string.c $(GEN)/linux_syscalls.c
HF_SRCS_names := tests/hostfuzz/names.c
HF_SRCS_vfs := tests/hostfuzz/vfs.c $(filter-out servers/vfs/main.c,$(wildcard servers/vfs/*.c))
HF_SRCS_pm := tests/hostfuzz/pm.c \
	$(filter-out posix/pm/main.c posix/pm/procinfo.c,$(wildcard posix/pm/*.c))

$(HF)/shim/%.o: tests/hostfuzz/%.c tests/hostfuzz/shim.h $(BUILD)/HF_CFLAGS.flags | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	clang $(HF_CFLAGS) -MMD -MP -c $< -o $@
$(HF)/srv/%.c.o: %.c $(BUILD)/HF_SERVER_CFLAGS.flags $(GEN)/syscall_routes.h | $(DEPS_STAMP) $(PROTO_HDRS)
	@mkdir -p $(dir $@)
	clang $(HF_SERVER_CFLAGS) -MMD -MP -MT $@ -MF $@.d -c $< -o $@.tmp
	objcopy --rename-section .data=hostfuzz_data --rename-section .bss=hostfuzz_bss $@.tmp $@
	@rm $@.tmp
define hostfuzz_prog
$(HF)/fuzz-$(1): $(HF_SHIM) $(patsubst %,$(HF)/srv/%.o,$(HF_SRCS_$(1)) $(HF_LIB))
	clang -fsanitize=fuzzer,address,undefined -o $$@ $$^
endef
$(foreach s,$(HF_SERVERS),$(eval $(call hostfuzz_prog,$(s))))
HF_PROGS := $(patsubst %,$(HF)/fuzz-%,$(HF_SERVERS))

# make test: a short run of each (tests/run-all.sh), and the kept inputs
# replayed; make fuzz-host: HOSTFUZZ_SECONDS (60) of each
HOSTFUZZ_SECONDS ?= 60
fuzz-host: $(HF_PROGS)
	tests/hostfuzz/run.sh $(HF) $(HOSTFUZZ_SECONDS)

test-os: $(BUILD)/tessera-test.iso $(BUILD)/tessera-panic.iso $(BUILD)/tessera.iso \
	$(BUILD)/tessera-bench.iso $(BENCH)/posix_bench-quick.iso \
	$(BUILD)/tessera.kboot $(BUILD)/tessera-test.kboot $(BUILD)/fuzz/fuzz tessera-run-deps
	BUILD=$(BUILD) bats tests/bats

test: $(BUILD)/unit_tests $(BUILD)/tessera-test.iso $(BUILD)/tessera-panic.iso \
	$(BUILD)/tessera.iso $(BUILD)/tessera-bench.iso $(BENCH)/posix_bench-quick.iso \
	$(BUILD)/tessera.kboot $(BUILD)/tessera-test.kboot \
	$(POSIX_ISOS) $(BBTEST_ISOS) tessera-run-deps $(HF_PROGS) $(BUILD)/fuzz/fuzz
	BUILD=$(BUILD) tests/run-all.sh

test-busybox: $(BBTEST_ISOS)
	tests/busybox/run.sh $(BUILD)

bench: $(BUILD)/tessera-bench.iso $(BENCH)/posix_bench.iso $(BUILD)/tessera.iso \
	$(BUILD)/tessera.kboot $(BUILD)/rootfs/initramfs
	BUILD=$(BUILD) tests/bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -path $(BUILD)/ports -prune -o -name '*.d' -print 2>/dev/null)
