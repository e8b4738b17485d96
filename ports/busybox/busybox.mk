# ports/busybox/busybox.mk: BusyBox, unmodified, from Debian bookworm's
# source package, configured by ports/busybox/config and linked statically
# against the musl sysroot with tessera-cc. See ports/README.md.
#
# Exposes:
#   BUSYBOX_BIN         the static, stripped binary; also a file target
#   BUSYBOX_UNSTRIPPED  the same binary with symbols (for debugging)
#   busybox             phony target: build $(BUSYBOX_BIN)

ifndef BUSYBOX_MK_INCLUDED
BUSYBOX_MK_INCLUDED := 1

BUSYBOX_PORT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

# musl provides TESSERA_CC, MUSL_STAMP and PORTS_FETCH_SOURCE (it guards
# against being included twice).
include $(BUSYBOX_PORT_DIR)/../musl/musl.mk

BUSYBOX_VERSION     := 1.35.0
# empty = whatever bookworm ships for upstream $(BUSYBOX_VERSION); set it,
# e.g. to 1:1.35.0-4+deb12u1, to pin the exact source package.
BUSYBOX_DEB_VERSION ?=
BUSYBOX_CACHE       := $(TESSERA_PORTS_CACHE)/busybox
BUSYBOX_SRC         := $(BUSYBOX_CACHE)/busybox-$(BUSYBOX_VERSION)
BUSYBOX_CONFIG      := $(BUSYBOX_PORT_DIR)/config
BUSYBOX_DIR         := $(BUILD)/ports/busybox
BUSYBOX_OBJ         := $(BUSYBOX_DIR)/obj
BUSYBOX_BIN         := $(BUSYBOX_DIR)/busybox
BUSYBOX_UNSTRIPPED  := $(BUSYBOX_OBJ)/busybox_unstripped

BUSYBOX_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))
# Arguments of BusyBox's kbuild, run from the pristine tree, writing only to
# O=. Recipes spell $(MAKE) out, so make passes its jobserver on.
BUSYBOX_MAKEARGS = -C $(BUSYBOX_SRC) O=$(abspath $(BUSYBOX_OBJ)) \
	CC=$(TESSERA_CC) HOSTCC=$(MUSL_HOST_CC)
# Changes here (such as a new Debian revision) start the build dir afresh.
BUSYBOX_SETUP = busybox $(shell cat $(BUSYBOX_SRC).version 2>/dev/null) \
	src=$(BUSYBOX_SRC) CC=$(TESSERA_CC) HOSTCC=$(MUSL_HOST_CC)
# The settings of a .config, comments dropped, for comparison.
BUSYBOX_SETTINGS = grep -E '^(CONFIG_|\# CONFIG_[A-Za-z0-9_]+ is not set)' $(1) | LC_ALL=C sort

.PHONY: busybox busybox-config-check
busybox: $(BUSYBOX_BIN)

# 1. fetch (once per cache)
$(BUSYBOX_SRC)/Makefile: | $(DEPS_STAMP)
	@echo "  PORT    busybox: fetch Debian source package into $(BUSYBOX_CACHE)"
	@$(call PORTS_FETCH_SOURCE,busybox,busybox-$(BUSYBOX_VERSION),$(BUSYBOX_CACHE),$(BUSYBOX_DEB_VERSION),$(BUSYBOX_DIR)/fetch.log)

$(BUSYBOX_DIR)/setup.txt: $(BUSYBOX_SRC)/Makefile busybox-config-check
	$(call PORTS_CHECK_PIN,$(BUSYBOX_SRC),$(BUSYBOX_DEB_VERSION))
	@mkdir -p $(@D)
	@echo '$(BUSYBOX_SETUP)' | cmp -s - $@ || echo '$(BUSYBOX_SETUP)' > $@

# 2. a fresh build dir whenever the source, the compiler or the sysroot
#    (TESSERA_CC is remade with musl) changes; kbuild tracks the rest.
$(BUSYBOX_DIR)/obj.stamp: $(BUSYBOX_DIR)/setup.txt $(TESSERA_CC)
	@set -e; rm -rf $(BUSYBOX_OBJ); mkdir -p $(BUSYBOX_OBJ)
	@touch $@

# 3. configure: our config becomes .config; oldconfig must not change it
$(BUSYBOX_DIR)/configured.stamp: $(BUSYBOX_DIR)/obj.stamp $(BUSYBOX_CONFIG)
	@echo "  PORT    busybox: configure from $(BUSYBOX_CONFIG) ($(BUSYBOX_DIR)/config.log)"
	@set -e; cp $(BUSYBOX_CONFIG) $(BUSYBOX_OBJ)/.config; \
	$(MAKE) $(BUSYBOX_MAKEARGS) oldconfig < /dev/null > $(BUSYBOX_DIR)/config.log 2>&1 || \
		{ echo "busybox: oldconfig failed; a (NEW) symbol is one that" \
		       "$(BUSYBOX_CONFIG) does not set:" >&2; \
		  tail -n 5 $(BUSYBOX_DIR)/config.log >&2; exit 1; }; \
	$(call BUSYBOX_SETTINGS,$(BUSYBOX_CONFIG)) > $(BUSYBOX_DIR)/config.want; \
	$(call BUSYBOX_SETTINGS,$(BUSYBOX_OBJ)/.config) > $(BUSYBOX_DIR)/config.got; \
	cmp -s $(BUSYBOX_DIR)/config.want $(BUSYBOX_DIR)/config.got || \
		{ echo "busybox: $(BUSYBOX_CONFIG) is not a complete BusyBox" \
		       "$(BUSYBOX_VERSION) config; oldconfig changed:" >&2; \
		  diff $(BUSYBOX_DIR)/config.want $(BUSYBOX_DIR)/config.got >&2; \
		  exit 1; }
	@touch $@

# 4. build (kbuild is incremental itself) and check the result is static
$(BUSYBOX_BIN): $(BUSYBOX_DIR)/configured.stamp
	@echo "  PORT    busybox: build ($(BUSYBOX_DIR)/build.log)"
	@set -e; $(MAKE) $(BUSYBOX_MAKEARGS) $(BUSYBOX_JOBS) > $(BUSYBOX_DIR)/build.log 2>&1 || \
		{ echo "busybox: build failed:" >&2; \
		  grep -E 'error|Error' $(BUSYBOX_DIR)/build.log | head -n 20 >&2; \
		  tail -n 10 $(BUSYBOX_DIR)/build.log >&2; exit 1; }; \
	if readelf -l $(BUSYBOX_OBJ)/busybox | grep -q INTERP; then \
		echo "busybox: $(BUSYBOX_OBJ)/busybox is not static" >&2; exit 1; \
	fi; \
	cp $(BUSYBOX_OBJ)/busybox $@.tmp; mv -f $@.tmp $@

endif # BUSYBOX_MK_INCLUDED
