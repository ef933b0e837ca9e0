# libFuzzer targets (tests/fuzz/fuzz_*.c), built with Debian's clang under
# AddressSanitizer + UBSan: every parser of outside input in one binary each.
#   make fuzz                  run each target for FUZZ_SECONDS (default 60)
#   make fuzz-targets          build them only (tests/cli/fuzz.sh does, for make test)
# The shared code is compiled again into build/fuzz/ (clang, coverage
# instrumentation) and archived, so a target links only what it reaches.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(filter-out -O2,$(HOST_CFLAGS)) -O1 -DMC_FUZZ $(FUZZ_SAN)
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/bin/%,$(FUZZ_SRCS))
FUZZ_LIB     := $(BUILD)/fuzz/libmc.a
FUZZ_LIB_OBJS := $(call obj,fuzz,$(SHARED_SRCS) $(ARCH_PURE) $(filter-out host/main.c,$(HOST_SRCS)))

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
$(BUILD)/fuzz/bin/%: $(BUILD)/fuzz/tests/fuzz/%.o $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) -o $@

.PHONY: fuzz fuzz-targets
fuzz-targets: $(FUZZ_BINS)
fuzz: fuzz-targets
	tests/fuzz/run.sh --seconds $(FUZZ_SECONDS)
