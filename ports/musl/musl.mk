# ports/musl/musl.mk: musl libc, unmodified, built from Debian bookworm's
# source package into the sysroot that every Tessera port links against.
# Included by the top-level Makefile (cwd = repo root); see ports/README.md.
#
# Exposes:
#   MUSL_SYSROOT  absolute path of the sysroot (include/, lib/, bin/)
#   MUSL_STAMP    file target: the sysroot is complete (musl + UAPI headers)
#   TESSERA_CC    absolute path of the compiler wrapper; also a file target
#                 (depend on it to get a ready sysroot)
#   musl          phony target: build all of the above
#   PORTS_FETCH_SOURCE  recipe macro shared by the ports (see below)

ifndef MUSL_MK_INCLUDED
MUSL_MK_INCLUDED := 1

MUSL_PORT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

BUILD ?= build
# Pristine sources live here, outside the tree, and are never written to
# after they are unpacked (builds happen under $(BUILD)/ports).
TESSERA_PORTS_CACHE ?= $(or $(HOME),/tmp)/.cache/tessera/ports

MUSL_VERSION     := 1.2.3
# Debian revision to fetch: empty = whatever bookworm currently ships for
# upstream $(MUSL_VERSION) (the fetch checks the upstream version); set it,
# e.g. to 1.2.3-1, to pin the exact source package.
MUSL_DEB_VERSION ?=
MUSL_HOST_CC     ?= gcc
MUSL_CACHE       := $(TESSERA_PORTS_CACHE)/musl
MUSL_SRC         := $(MUSL_CACHE)/musl-$(MUSL_VERSION)
MUSL_DIR         := $(BUILD)/ports/musl
MUSL_OBJ         := $(MUSL_DIR)/obj
MUSL_SYSROOT     := $(abspath $(BUILD)/sysroot)
MUSL_STAMP       := $(MUSL_DIR)/installed.stamp
TESSERA_CC       := $(MUSL_SYSROOT)/bin/tessera-cc

MUSL_CONFIGURE_FLAGS := --prefix=$(MUSL_SYSROOT) --syslibdir=$(MUSL_SYSROOT)/lib \
	--disable-shared --enable-wrapper=gcc
# Linux UAPI headers (package linux-libc-dev): musl-gcc drops the system
# include path, and BusyBox needs <linux/...>, <asm/...> and <mtd/...>.
MUSL_UAPI_ROOT   ?= /usr/include
MUSL_UAPI_DIRS   := linux asm-generic mtd
MUSL_UAPI_ASM    ?= $(MUSL_UAPI_ROOT)/x86_64-linux-gnu/asm

# Sub-make parallelism: use the caller's jobserver when there is one,
# otherwise every core.
MUSL_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))

# Everything that, when it changes, must rebuild musl from scratch, starting
# with the Debian version of the source fetched. Only expanded in recipes,
# so the $(shell)s cost nothing on other targets.
MUSL_CONFIG = musl $(shell cat $(MUSL_SRC).version 2>/dev/null) \
	$(MUSL_CONFIGURE_FLAGS) CC=$(MUSL_HOST_CC) \
	$(shell $(MUSL_HOST_CC) -dumpfullversion 2>/dev/null) \
	uapi=$(shell dpkg-query -W -f='$${Version}' linux-libc-dev 2>/dev/null)

# $(call PORTS_FETCH_SOURCE,srcpkg,unpacked-dir,cache-dir,deb-version,log)
# One shell command line: `apt-get source` (which verifies the package
# against the signed archive and unpacks it with dpkg-source, Debian's own
# patches applied) into a scratch dir, check it unpacked to the expected
# upstream directory, record beside it <dir>.version (the Debian version
# fetched) and <dir>.sha256, a manifest of every file (ports/check-ports.sh
# uses it to prove the tree stays pristine), then move the tree into place
# atomically. Retries once after `apt-get update` when root.
define PORTS_FETCH_SOURCE
set -e; mkdir -p '$(3)' '$(dir $(5))'; \
tmp=$$(mktemp -d '$(3)/.fetch.XXXXXX'); trap 'rm -rf "$$tmp"' EXIT; \
spec='$(1)$(if $(4),=$(4))'; ok=; \
(cd "$$tmp" && apt-get source "$$spec") >'$(5)' 2>&1 && ok=1; \
if [ -z "$$ok" ] && [ "$$(id -u)" = 0 ]; then \
	echo "  PORT    $(1): apt-get source failed; apt-get update and retry"; \
	apt-get update >>'$(5)' 2>&1 && \
	(cd "$$tmp" && apt-get source "$$spec") >>'$(5)' 2>&1 && ok=1; \
fi; \
if [ -z "$$ok" ]; then \
	echo "ports: cannot fetch source package $$spec (log: $(5));" \
		"deb-src must be enabled: run scripts/setup.sh" >&2; \
	tail -n 5 '$(5)' >&2; exit 1; \
fi; \
if [ ! -d "$$tmp/$(2)" ]; then \
	echo "ports: $$spec did not unpack to $(2) (log: $(5))" >&2; exit 1; \
fi; \
(cd "$$tmp/$(2)" && find . -type f -print | LC_ALL=C sort | \
	xargs -d '\n' sha256sum) > "$$tmp/$(2).sha256"; \
sed -n 's/^Version: //p' "$$tmp"/*.dsc > "$$tmp/$(2).version"; \
mv -f "$$tmp"/*.dsc "$$tmp"/*.tar.* "$$tmp/$(2).sha256" "$$tmp/$(2).version" '$(3)/'; \
mv -T "$$tmp/$(2)" '$(3)/$(2)' 2>/dev/null || test -d '$(3)/$(2)'
endef

.PHONY: musl musl-config-check
musl: $(TESSERA_CC)

# 1. fetch (once per cache; the unpacked tree appears atomically)
$(MUSL_SRC)/configure: | $(DEPS_STAMP)
	@echo "  PORT    musl: fetch Debian source package into $(MUSL_CACHE)"
	@$(call PORTS_FETCH_SOURCE,musl,musl-$(MUSL_VERSION),$(MUSL_CACHE),$(MUSL_DEB_VERSION),$(MUSL_DIR)/fetch.log)

# $(call PORTS_CHECK_PIN,srcdir,deb-version): a pinned Debian version must
# be the one in the cache (the cache holds one revision per upstream version).
PORTS_CHECK_PIN = @v=$$(cat $(1).version 2>/dev/null); \
	[ -z '$(2)' ] || [ "$$v" = '$(2)' ] || { echo "ports: $(1) is Debian" \
	"version '$$v' but '$(2)' is pinned: remove it to fetch again" >&2; exit 1; }

# The recorded configuration; rewritten only when it differs, so it is
# newer than the stamps below exactly when the configuration changed.
$(MUSL_DIR)/config.txt: $(MUSL_SRC)/configure musl-config-check
	$(call PORTS_CHECK_PIN,$(MUSL_SRC),$(MUSL_DEB_VERSION))
	@mkdir -p $(@D)
	@echo '$(MUSL_CONFIG)' | cmp -s - $@ || echo '$(MUSL_CONFIG)' > $@

# 2. configure, out of tree, in a fresh build dir
$(MUSL_DIR)/configured.stamp: $(MUSL_DIR)/config.txt
	@echo "  PORT    musl: configure ($(MUSL_DIR)/configure.log)"
	@set -e; rm -rf $(MUSL_OBJ); mkdir -p $(MUSL_OBJ); \
	cd $(MUSL_OBJ); \
	CC='$(MUSL_HOST_CC)' CFLAGS= LDFLAGS= CROSS_COMPILE= \
		$(MUSL_SRC)/configure $(MUSL_CONFIGURE_FLAGS) \
		> $(abspath $(MUSL_DIR))/configure.log 2>&1 || \
		{ echo "musl: configure failed:" >&2; \
		  tail -n 20 $(abspath $(MUSL_DIR))/configure.log >&2; exit 1; }; \
	grep -qx 'ARCH = x86_64' config.mak || \
		{ echo "musl: configure did not pick ARCH x86_64" >&2; exit 1; }
	@touch $@

# 3. build
$(MUSL_DIR)/built.stamp: $(MUSL_DIR)/configured.stamp
	@echo "  PORT    musl: build ($(MUSL_DIR)/build.log)"
	@set -e; $(MAKE) -C $(MUSL_OBJ) $(MUSL_JOBS) CC='$(MUSL_HOST_CC)' \
		> $(MUSL_DIR)/build.log 2>&1 || \
		{ echo "musl: build failed:" >&2; \
		  tail -n 30 $(MUSL_DIR)/build.log >&2; exit 1; }
	@touch $@

# 4. install into a fresh sysroot, plus the Linux UAPI headers. Plain
# `make`, not $(MAKE): `make -n` runs recipe lines that name $(MAKE), and this
# one empties the sysroot first.
$(MUSL_STAMP): $(MUSL_DIR)/built.stamp
	@echo "  PORT    musl: install into $(MUSL_SYSROOT) ($(MUSL_DIR)/install.log)"
	@set -e; rm -rf $(MUSL_SYSROOT); \
	make -C $(MUSL_OBJ) install > $(MUSL_DIR)/install.log 2>&1 || \
		{ echo "musl: install failed:" >&2; \
		  tail -n 20 $(MUSL_DIR)/install.log >&2; exit 1; }; \
	for d in $(MUSL_UAPI_DIRS:%=$(MUSL_UAPI_ROOT)/%) $(MUSL_UAPI_ASM); do \
		[ -d "$$d" ] || { echo "musl: $$d missing:" \
			"install linux-libc-dev (scripts/setup.sh)" >&2; exit 1; }; \
	done; \
	for d in $(MUSL_UAPI_DIRS); do \
		cp -R $(MUSL_UAPI_ROOT)/$$d $(MUSL_SYSROOT)/include/$$d; \
	done; \
	cp -R $(MUSL_UAPI_ASM) $(MUSL_SYSROOT)/include/asm; \
	test -f $(MUSL_SYSROOT)/lib/libc.a; \
	test -f $(MUSL_SYSROOT)/lib/crt1.o; \
	test -f $(MUSL_SYSROOT)/lib/musl-gcc.specs
	@touch $@

# 5. the compiler wrapper
$(TESSERA_CC): $(MUSL_PORT_DIR)/tessera-cc.in $(MUSL_STAMP)
	@echo "  PORT    musl: $(TESSERA_CC)"
	@set -e; mkdir -p $(@D); \
	sed -e 's|@MUSL_SYSROOT@|$(MUSL_SYSROOT)|g' \
	    -e 's|@MUSL_HOST_CC@|$(MUSL_HOST_CC)|g' $< > $@.tmp; \
	chmod +x $@.tmp; mv -f $@.tmp $@

endif # MUSL_MK_INCLUDED
