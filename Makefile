# TVPN build. ./configure && make builds the tools; make check runs every test.
-include config.mk

PREFIX ?= /usr/local
CXX ?= g++
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CXXFLAGS ?= -O2 -g
override CXXFLAGS += -std=c++20 -Wall -Wextra -Werror -I. -MMD -MP
LDLIBS := -lcrypto
# vnddvpnd estimates -pwd password strength with zxcvbn (libzxcvbn-dev for the
# header; the library is loaded with dlopen only for each check) and
# talks to systemd with sd_notify (libsystemd-dev) and runs under a seccomp
# allow-list after set-up (libseccomp-dev).
DAEMON_LIBS := -lseccomp $(shell pkg-config --libs libsystemd 2>/dev/null || echo -lsystemd)
# Every symbol bound at start: the lazy-binding resolver, run at a function's
# first call, saves the argument and vector registers on the stack, and so
# left 8 bytes of the -pwd password there, past every wipe
# (tests/e2e/pwd_secrets_memory_test.sh).
DAEMON_LDFLAGS := -Wl,-z,now

ifeq ($(SANITIZE),1)
BUILD := build-san
override CXXFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=address,undefined
endif

COMMON_SRC := $(shell find common -name "*.cpp" | sort)
CONFIG_SRC := $(wildcard vnddconfig/*.cpp)
DAEMON_SRC := $(wildcard vnddvpnd/*.cpp)
UNIT_SRC   := $(wildcard tests/unit/*_test.cpp)
TOOL_SRC   := $(wildcard tests/tools/*.cpp)

obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))
COMMON_LIB := $(BUILD)/libtvpn.a
BINS := $(BUILD)/vnddconfig $(BUILD)/vnddvpnd
TEST_TOOLS := $(patsubst tests/tools/%.cpp,$(BUILD)/tools/%,$(TOOL_SRC))

# Keep objects of test tools (make would delete them as intermediates).
.SECONDARY:

.PHONY: all deps install uninstall deb deb-check check test-build unit e2e vm-check demo bench soak fuzz fuzz-smoke clean
all: $(BINS)

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c -o $@ $<

$(COMMON_LIB): $(call obj,$(COMMON_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vnddconfig: $(call obj,$(CONFIG_SRC)) $(COMMON_LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/vnddvpnd: $(call obj,$(DAEMON_SRC)) $(COMMON_LIB)
	$(CXX) $(LDFLAGS) $(DAEMON_LDFLAGS) -o $@ $^ $(DAEMON_LIBS) $(LDLIBS)

$(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link the tools' sources except their main().
$(BUILD)/unit_tests: $(call obj,$(UNIT_SRC)) $(call obj,$(filter-out %/main.cpp,$(CONFIG_SRC) $(DAEMON_SRC))) $(COMMON_LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ -lgtest -lgtest_main -pthread $(DAEMON_LIBS) $(LDLIBS)

deps:
	@scripts/install-deps.sh build check

# Man pages by section: docs/*.8 (the tools), docs/*.5 (file formats).
MAN8 := $(wildcard docs/*.8)
MAN5 := $(wildcard docs/*.5)
COMPLETIONS := packaging/bash-completion/vnddconfig packaging/bash-completion/vnddvpnd
COMPLETIONDIR := $(PREFIX)/share/bash-completion/completions

install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/sbin/
	install -m 0644 $(MAN8) $(DESTDIR)$(PREFIX)/share/man/man8/
	$(if $(MAN5),install -d $(DESTDIR)$(PREFIX)/share/man/man5 && install -m 0644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5/)
	install -m 0644 $(COMPLETIONS) $(DESTDIR)$(COMPLETIONDIR)/
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' packaging/vnddvpnd@.service >$(DESTDIR)$(PREFIX)/lib/systemd/system/vnddvpnd@.service

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/vnddconfig $(DESTDIR)$(PREFIX)/sbin/vnddvpnd
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man8/,$(notdir $(MAN8)))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(COMPLETIONDIR)/,$(notdir $(COMPLETIONS)))
	rm -f $(DESTDIR)$(PREFIX)/lib/systemd/system/vnddvpnd@.service

# Debian packages tvpn and vnddmgr-dkms (debian/), built from a copy of the
# tree into $(BUILD)/deb and checked with lintian.
deb:
	@scripts/install-deps.sh build deb
	JOBS=$(JOBS) packaging/build-deb.sh $(BUILD)/deb

# The packages installed into a throw-away copy of this system, run, purged.
deb-check: deb
	tests/packaging/deb_test.sh $(BUILD)/deb

# GoogleTest, then the script-level tests (tests/scripts: no root, no network).
unit: $(BUILD)/unit_tests $(BINS) $(BUILD)/tools/tvpn_conf_check
	$(BUILD)/unit_tests
	@for t in tests/scripts/*_test.sh; do echo "== $$t"; BUILD=$(abspath $(BUILD)) bash $$t || exit 1; done

e2e: $(BINS) $(TEST_TOOLS)
	BUILD=$(abspath $(BUILD)) tests/e2e/run-all.sh

# vnddmgr.ko built and tested in Debian 12's kernels (6.1, then 6.12) under QEMU (tests/vm).
vm-check: $(BINS) $(BUILD)/tools/udp_blast
	@scripts/install-deps.sh vm
	BUILD=$(abspath $(BUILD)) tests/vm/run.sh

# The one test command: dependencies, build, unit tests, end-to-end tests, VM tests,
# the Debian packages.
check:
	@scripts/install-deps.sh build check vm fuzz deb
	$(MAKE) -j$(JOBS) test-build
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) vm-check
	$(MAKE) deb-check
	$(MAKE) -f tests/fuzz/fuzz.mk -j$(JOBS) fuzz-build
	$(MAKE) fuzz-smoke
ifneq ($(SANITIZE),1)
	@echo "== the same unit and end-to-end tests under AddressSanitizer and UBSan"
	$(MAKE) -j$(JOBS) test-build SANITIZE=1
	$(MAKE) unit SANITIZE=1
	$(MAKE) e2e SANITIZE=1
endif

# Everything the tests run, built in parallel before they start.
test-build: $(BINS) $(TEST_TOOLS) $(BUILD)/unit_tests

demo:
	@scripts/install-deps.sh build demo
	$(MAKE) all
	BUILD=$(abspath $(BUILD)) tests/demo.sh

# make bench VM=1: tap versus vndd inside the test VM (tests/vm/bench.sh).
bench:
ifeq ($(VM),1)
	@scripts/install-deps.sh build vm
	$(MAKE) all $(BUILD)/tools/udp_blast
	BUILD=$(abspath $(BUILD)) tests/vm/bench.sh
else
	@scripts/install-deps.sh build bench
	$(MAKE) all
	BUILD=$(abspath $(BUILD)) tests/bench/bench.sh
endif

# libFuzzer targets (tests/fuzz/fuzz.mk, clang): long runs, or a short one per target.
fuzz fuzz-smoke:
	@scripts/install-deps.sh fuzz
	$(MAKE) -f tests/fuzz/fuzz.mk $@

# Memory of a loaded daemon over 10 minutes (SOAK_SECONDS): a measurement, not a test.
soak:
	@scripts/install-deps.sh build bench
	$(MAKE) all
	BUILD=$(abspath $(BUILD)) tests/bench/soak.sh

clean:
	rm -rf build build-san build-fuzz config.mk

# Only the objects' dependency files: $(BUILD)/deb holds a whole second tree.
-include $(shell find $(BUILD)/obj -name '*.d' -type f 2>/dev/null)
