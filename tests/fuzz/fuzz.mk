# libFuzzer targets for every parser of network input (tests/fuzz/*_fuzz.cpp),
# built with clang++ -fsanitize=fuzzer,address,undefined over an instrumented
# copy of common/. Called from the top Makefile: `make fuzz` (long runs),
# `make fuzz-smoke` (a short bounded run per target, part of make check).
# Seeds live in tests/fuzz/corpus/NAME/; new inputs found by a run go to
# $(FUZZ_BUILD)/corpus/NAME/ and crashes to $(FUZZ_BUILD)/crashes/.
FUZZ_BUILD ?= build-fuzz
FUZZ_CXX ?= clang++
FUZZ_TIME ?= 600        # seconds per target for `make fuzz`
FUZZ_SMOKE_TIME ?= 10   # seconds per target for `make fuzz-smoke`
FUZZ_CXXFLAGS := -std=c++20 -O1 -g -I. -Wall -Wextra -fno-omit-frame-pointer \
                 -fsanitize=address,undefined -fno-sanitize-recover=all -MMD -MP

FUZZ_LIB_SRC := $(shell find common -name "*.cpp" | sort)
FUZZ_SRC := $(wildcard tests/fuzz/*_fuzz.cpp)
FUZZ_NAMES := $(patsubst tests/fuzz/%_fuzz.cpp,%,$(FUZZ_SRC))
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/,$(addsuffix _fuzz,$(FUZZ_NAMES)))
fuzz_obj = $(patsubst %.cpp,$(FUZZ_BUILD)/obj/%.o,$(1))

.PHONY: fuzz-build fuzz fuzz-smoke
fuzz-build: $(FUZZ_BINS)

# The library gets coverage instrumentation too, without libFuzzer's main().
$(FUZZ_BUILD)/obj/common/%.o: common/%.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/obj/tests/fuzz/%.o: tests/fuzz/%.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer -c -o $@ $<

$(FUZZ_BUILD)/libtvpn-fuzz.a: $(call fuzz_obj,$(FUZZ_LIB_SRC))
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/%_fuzz: $(FUZZ_BUILD)/obj/tests/fuzz/%_fuzz.o $(FUZZ_BUILD)/libtvpn-fuzz.a
	$(FUZZ_CXX) -fsanitize=fuzzer,address,undefined -o $@ $^ -lcrypto

# fuzz_run SECONDS: each target in turn on a scratch corpus seeded from the
# tree's; a target stops at its first crash (the input is kept under
# crashes/), the others still run, and the run fails if any target crashed.
define fuzz_run
	@failed=""; for n in $(FUZZ_NAMES); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/crashes tests/fuzz/corpus/$$n; \
	  echo "fuzz: $$n for $(1) s"; \
	  if $(FUZZ_BUILD)/$${n}_fuzz -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	      -artifact_prefix=$(FUZZ_BUILD)/crashes/$$n- $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
	      >$(FUZZ_BUILD)/$$n.log 2>&1; then \
	    grep -E 'stat::number_of_executed_units|stat::new_units_added' $(FUZZ_BUILD)/$$n.log | tr -s ' \n' ' '; echo; \
	  else \
	    grep -E -A12 '^==[0-9]+==|SUMMARY' $(FUZZ_BUILD)/$$n.log | head -n 30; \
	    echo "fuzz: $$n FAILED (log: $(FUZZ_BUILD)/$$n.log; input: $(FUZZ_BUILD)/crashes/$$n-*)"; \
	    failed="$$failed $$n"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi
endef

fuzz: fuzz-build
	$(call fuzz_run,$(strip $(FUZZ_TIME)))

fuzz-smoke: fuzz-build
	$(call fuzz_run,$(strip $(FUZZ_SMOKE_TIME)))

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
