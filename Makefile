# memcrypt — one source tree, three front-ends:
#   build/esp/EFI/BOOT/BOOTX64.EFI   the UEFI stage (GNU-EFI, Debian's, in place)
#   build/esp/memcrypt/kernel.elf    the long-mode test kernel (PIE, relocated by the stage)
#   build/memcrypt.img               the same ESP as a FAT disk image (mtools)
#   build/host/memcrypt              the Linux command
# Warnings are errors everywhere. Areas add their own rules in mk/*.mk.

VERSION   := 0.1.0
BUILD     := build
CC        := gcc
LD        := ld
NASM      := nasm
OBJCOPY   := objcopy

EFI_INC   := /usr/include/efi
EFI_LIB   := /usr/lib
EFI_CRT0  := $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LDS   := $(EFI_LIB)/elf_x86_64_efi.lds

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
BASE      := -std=gnu11 -O2 -g -I. -fno-strict-aliasing -fno-common -DMC_VERSION='"$(VERSION)"' $(WARN)
# Freestanding targets: no libc, no red zone (interrupts use the stack), no
# SSE in general code (vector crypto backends opt in per function), and no
# loop-to-memset rewriting inside our own mem helpers.
FREE      := $(BASE) -ffreestanding -fno-builtin -fno-stack-protector -mno-red-zone \
             -mgeneral-regs-only -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables

EFI_CFLAGS    := $(FREE) -DMC_FRONTEND_EFI -fpic -fshort-wchar -maccumulate-outgoing-args \
                 -DGNU_EFI_USE_MS_ABI -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -isystem $(EFI_INC)/protocol
KERNEL_CFLAGS := $(FREE) -DMC_FRONTEND_KERNEL -fpie -fvisibility=hidden
HOST_CFLAGS   := $(BASE) -DMC_FRONTEND_HOST -D_GNU_SOURCE
ASAN          := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
NASMFLAGS     := -f elf64 -g

# The 64-bit bitsliced AES core: with register-pressure-aware scheduling
# before allocation GCC spills and copies less of its circuit (AES-128 core
# 11.4 -> 10.2-10.5 TSC cycles/byte on a Sapphire Rapids-class Xeon, min of
# 3000 alternated samples). Not for xts_ct256.c: there it cost a fifth.
# Loop-aware pressure, register renaming and no XOR reassociation (which
# lengthened live ranges in the S-box) take 5-6% more instructions off a
# pass (callgrind, AES-128 encrypt 3716 -> 3501 per four blocks, decrypt
# 4177 -> 3951): encrypt 4-7% fewer cycles, decrypt 1-2%.
CT64_SCHED := -fsched-pressure -fschedule-insns -fira-loop-pressure -frename-registers -fno-tree-reassoc
$(BUILD)/efi/lib/crypto/aes_ct64.o $(BUILD)/kernel/lib/crypto/aes_ct64.o \
$(BUILD)/host/lib/crypto/aes_ct64.o $(BUILD)/asan/lib/crypto/aes_ct64.o: EXTRA_CFLAGS := $(CT64_SCHED)
# The host build of lib/mem.c keeps its own word loops (as the freestanding
# builds do through FREE) instead of calls into libc, so the unit tests
# (tests/unit/test_mem_words.c) test the code the stage and kernel run.
$(BUILD)/host/lib/mem.o $(BUILD)/asan/lib/mem.o: EXTRA_CFLAGS := -fno-tree-loop-distribute-patterns

# ---- sources -------------------------------------------------------------
SHARED_SRCS  := $(sort $(wildcard lib/*.c lib/crypto/*.c lib/model/*.c lib/checks/*.c lib/bios/*.c))
# arch/x86 files that are pure logic (no instructions): built for the host
# too, so the host tests exercise exactly the code the kernel runs.
ARCH_PURE    := $(sort $(wildcard arch/x86/paging*.c arch/x86/pagewalk*.c arch/x86/pconfig*.c))
ARCH_SRCS    := $(sort $(wildcard arch/x86/*.c))
ARCH_ASM     := $(sort $(wildcard arch/x86/*.asm))
EFI_SRCS     := $(sort $(wildcard efi/*.c))
KERNEL_SRCS  := $(sort $(wildcard kernel/*.c))
KERNEL_ASM   := $(sort $(wildcard kernel/*.asm))
HOST_SRCS    := $(sort $(wildcard host/*.c))
UNIT_SRCS    := $(sort $(wildcard tests/unit/*.c))

obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(filter %.c,$(2))) \
      $(patsubst %.asm,$(BUILD)/$(1)/%.o,$(filter %.asm,$(2)))

EFI_OBJS     := $(call obj,efi,$(EFI_SRCS) $(SHARED_SRCS) $(ARCH_SRCS) $(ARCH_ASM))
KERNEL_OBJS  := $(call obj,kernel,$(KERNEL_ASM) $(KERNEL_SRCS) $(SHARED_SRCS) $(ARCH_SRCS) $(ARCH_ASM))
HOST_OBJS    := $(call obj,host,$(HOST_SRCS) $(SHARED_SRCS) $(ARCH_PURE))
UNIT_OBJS    := $(call obj,asan,$(UNIT_SRCS) $(SHARED_SRCS) $(ARCH_PURE) $(filter-out host/main.c,$(HOST_SRCS)))

ESP          := $(BUILD)/esp
EFI_APP      := $(ESP)/EFI/BOOT/BOOTX64.EFI
KERNEL_ELF   := $(ESP)/memcrypt/kernel.elf
IMG          := $(BUILD)/memcrypt.img
HOST_BIN     := $(BUILD)/host/memcrypt
UNIT_BIN     := $(BUILD)/host/unit-tests

.PHONY: all run test unit clean qemu
all: $(EFI_APP) $(KERNEL_ELF) $(IMG) $(HOST_BIN)

# ---- UEFI stage ----------------------------------------------------------
$(BUILD)/efi/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/efi/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -DMC_FRONTEND_EFI -MD $(@:.o=.d) $< -o $@
$(BUILD)/efi/memcrypt.so: $(EFI_OBJS)
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LDS) $(EFI_CRT0) $^ \
	      -L$(EFI_LIB) -lgnuefi -lefi -o $@
# The stage carries kernel.elf's SHA-256 (efi/kernel_digest.c) and refuses
# any other kernel file.
$(EFI_APP): $(BUILD)/efi/memcrypt.so $(KERNEL_ELF) scripts/embed-kernel-hash
	@mkdir -p $(dir $@)
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	           -j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 $< $@.tmp
	scripts/embed-kernel-hash $@.tmp $(KERNEL_ELF)
	mv $@.tmp $@

# The bench-boot baseline: a trivial EFI app (tests/bench/trivial.c).
TRIVIAL_EFI := $(BUILD)/bench/esp/EFI/BOOT/BOOTX64.EFI
$(BUILD)/bench/trivial.so: tests/bench/trivial.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $(BUILD)/bench/trivial.o
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LDS) $(EFI_CRT0) $(BUILD)/bench/trivial.o \
	      -L$(EFI_LIB) -lgnuefi -lefi -o $@
$(TRIVIAL_EFI): $(BUILD)/bench/trivial.so
	@mkdir -p $(dir $@)
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	           -j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 $< $@
bench-boot-baseline: $(TRIVIAL_EFI)
.PHONY: bench-boot-baseline

# ---- kernel --------------------------------------------------------------
$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/kernel/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -DMC_FRONTEND_KERNEL -MD $(@:.o=.d) $< -o $@
# The framebuffer console's font comes from Debian's kbd package, converted
# at build time (scripts/psf2c).
CONSOLE_FONT := /usr/share/consolefonts/Lat15-VGA16.psf.gz
$(BUILD)/gen/font8x16.c: scripts/psf2c
	@mkdir -p $(dir $@)
	scripts/psf2c $(CONSOLE_FONT) $@
$(BUILD)/kernel/gen/font8x16.o: $(BUILD)/gen/font8x16.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@
# Linked with debug info as build/kernel/kernel.debug (for gdb); the ESP
# gets a copy without it.
$(BUILD)/kernel/kernel.debug: $(KERNEL_OBJS) $(BUILD)/kernel/gen/font8x16.o linker.ld
	$(LD) -nostdlib -pie --no-dynamic-linker -z noexecstack -z max-page-size=4096 -z text \
	      -T linker.ld $(KERNEL_OBJS) $(BUILD)/kernel/gen/font8x16.o -o $@
$(KERNEL_ELF): $(BUILD)/kernel/kernel.debug
	@mkdir -p $(dir $@)
	$(OBJCOPY) --strip-debug $< $@

# ---- ESP disk image (FAT, mtools): boots as is from a USB stick ------------
$(IMG): $(EFI_APP) $(KERNEL_ELF) scripts/mkimg
	scripts/mkimg $(ESP) $@

# ---- Linux command and host tests ------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@
$(HOST_BIN): $(HOST_OBJS)
	$(CC) $(HOST_CFLAGS) $^ -o $@
$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(ASAN) $(EXTRA_CFLAGS) -DMC_UNIT_TEST -MMD -MP -c $< -o $@
$(UNIT_BIN): $(UNIT_OBJS)
	$(CC) $(HOST_CFLAGS) $(ASAN) $^ -o $@

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# host/os_psp.c against a /dev/sev that Debian's umockdev serves
# (tests/umockdev/psp.c, run by tests/cli/psp-umockdev.sh under
# umockdev-wrapper). Built without the sanitizers: ASan must not sit under
# the umockdev preload library.
PSP_TEST  := $(BUILD)/host/test-psp-umockdev
UMOCKDEV  := $(shell pkg-config --exists umockdev-1.0 2>/dev/null && echo yes)
$(PSP_TEST): tests/umockdev/psp.c host/os_psp.c host/root_path.c host/os_view.h host/root_path.h lib/osview.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(patsubst -I%,-isystem %,$(shell pkg-config --cflags umockdev-1.0)) \
	      $(filter %.c,$^) $(shell pkg-config --libs umockdev-1.0) -o $@

# ---- run and test --------------------------------------------------------
# `make run` programs the default profile with the default BIOS policy;
# PROFILE=FILE picks another, PROFILE=none runs the hw path (docs/bios-stage.md);
# SMP=N SOCKETS=S give the guest N CPUs in S packages.
PROFILE ?= profiles/icelake-sp.prof
POLICY  ?= profiles/default.conf
SMP     ?= 1
SOCKETS ?= 1
run: all
	scripts/qemu-run --smp $(SMP) --sockets $(SOCKETS) $(if $(filter-out none,$(PROFILE)),--profile $(PROFILE)) $(if $(filter-out none,$(POLICY)),--policy $(POLICY))

test: all $(UNIT_BIN) $(if $(UMOCKDEV),$(PSP_TEST))
	tests/run-all

# The patched emulator the hardware-path tests run on (docs/qemu-tme.md):
# Debian's qemu source with patches/qemu/*.patch, only qemu-system-x86_64,
# into build/qemu/. Incremental; `make clean` keeps it (it costs minutes).
qemu:
	scripts/build-qemu

clean:
	rm -rf $(filter-out $(BUILD)/qemu,$(wildcard $(BUILD)/*))

-include $(wildcard mk/*.mk)
# build/qemu/ (make qemu) holds QEMU's own tree and build: not ours to include.
-include $(shell find $(BUILD) -path $(BUILD)/qemu -prune -o -type f -name '*.d' -print 2>/dev/null)
