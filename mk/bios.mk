# lib/bios/*.c: the BIOS-stage library (programming sequence, last-run
# record). The top-level Makefile's SHARED_SRCS wildcard does not reach
# lib/bios/, so its objects are added to each front-end here. The link
# rules use $^ (UEFI stage, host command, unit tests) or $(KERNEL_OBJS)
# (kernel), so extra prerequisites and an appended KERNEL_OBJS suffice.
BIOS_SRCS        := $(sort $(wildcard lib/bios/*.c))
BIOS_EFI_OBJS    := $(call obj,efi,$(BIOS_SRCS))
BIOS_KERNEL_OBJS := $(call obj,kernel,$(BIOS_SRCS))
BIOS_HOST_OBJS   := $(call obj,host,$(BIOS_SRCS))
BIOS_ASAN_OBJS   := $(call obj,asan,$(BIOS_SRCS))

$(BUILD)/efi/memcrypt.so: $(BIOS_EFI_OBJS)
KERNEL_OBJS += $(BIOS_KERNEL_OBJS)
$(KERNEL_ELF): $(BIOS_KERNEL_OBJS)
$(HOST_BIN): $(BIOS_HOST_OBJS)
$(UNIT_BIN): $(BIOS_ASAN_OBJS)
