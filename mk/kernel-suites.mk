# Kernel suites (issue 7): the pure PCONFIG helpers in arch/x86/pconfig.c
# are not in the Makefile's host list (ARCH_PURE is paging*/pagewalk*), so
# the unit-test binary gets them here; the kernel and EFI builds already
# compile every arch/x86/*.c.
$(UNIT_BIN): $(BUILD)/asan/arch/x86/pconfig.o
