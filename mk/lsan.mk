# The Linux command under AddressSanitizer + LeakSanitizer (the unit tests'
# objects plus host/main.c), for tests/cli/leaks.sh: the CLI tests run
# again against it and every leak report is a FAIL.
ASAN_HOST_BIN := $(BUILD)/asan/memcrypt
$(ASAN_HOST_BIN): $(call obj,asan,$(HOST_SRCS) $(SHARED_SRCS) $(ARCH_PURE))
	$(CC) $(HOST_CFLAGS) $(ASAN) $^ -o $@
.PHONY: asan-memcrypt
asan-memcrypt: $(ASAN_HOST_BIN)
