/* The versioned handoff from the UEFI stage to the kernel. Everything is a
 * physical address (the kernel identity-maps RAM), and nothing in it is an
 * EFI type: the memory map is already translated into mc_mem_range, and the
 * one firmware service the kernel uses (runtime SetVariable / ResetSystem)
 * is reached through the runtime services table's address.
 * Bump MC_HANDOFF_VERSION on any layout change; the kernel refuses others. */
#ifndef MC_HANDOFF_H
#define MC_HANDOFF_H
#include "lib/types.h"
#include "lib/report.h"

#define MC_HANDOFF_MAGIC    0x464f444e41484d43ULL   /* "CMHANDOF" */
#define MC_HANDOFF_VERSION  2
#define MC_MEMMAP_MAX       512
#define MC_HANDOFF_MAX_CPUS 1024      /* the stage's MP-services survey (efi/mp.c) */
#define MC_TRAMPOLINE_MAX   0x100000  /* the AP trampoline page lies below 1 MiB (SIPI vector) */

enum mc_mem_type {
	MC_MEM_USABLE = 1,      /* conventional, free after ExitBootServices */
	MC_MEM_LOADER,          /* ours: kernel image, handoff, model state, scratch */
	MC_MEM_RESERVED,
	MC_MEM_ACPI_RECLAIM,
	MC_MEM_ACPI_NVS,
	MC_MEM_MMIO,
	MC_MEM_RUNTIME,         /* firmware runtime code/data: keep mapped */
	MC_MEM_UNUSABLE,
	MC_MEM_PERSISTENT,
};

#define MC_MEM_ATTR_CPU_CRYPTO  BIT_ULL(0)   /* EFI_MEMORY_CPU_CRYPTO (UEFI 2.8) */

/* RAM as Linux counts it for max_pfn (E820 RAM: conventional, boot
 * services and loader memory), e.g. for what an SNP RMP must cover. */
static inline bool mc_mem_is_ram(u32 type)
{
	return type == MC_MEM_USABLE || type == MC_MEM_LOADER;
}

struct mc_mem_range {
	u64 base;
	u64 pages;              /* 4 KiB pages */
	u32 type;               /* enum mc_mem_type */
	u32 efi_type;           /* the firmware's type, for reports */
	u64 attr;               /* MC_MEM_ATTR_* */
};

/* Where RAM ends (mc_mem_is_ram) in a map of n ranges; 0 if none is RAM.
 * The top of RAM the checks and the BIOS plan are given, the same for the
 * stage (the firmware's map) and the kernel (the handoff's). */
u64 mc_mem_ram_top(const struct mc_mem_range *r, u32 n);

enum mc_fb_format { MC_FB_NONE = 0, MC_FB_RGBX, MC_FB_BGRX, MC_FB_BITMASK };

struct mc_framebuffer {
	u64 base;
	u64 size;
	u32 width, height;
	u32 stride;             /* pixels per scan line */
	u32 format;             /* enum mc_fb_format */
	u32 red_mask, green_mask, blue_mask, pad;
};

/* One CPU as the stage's MP-services survey saw it (efi/mp.c): processor
 * number n of EFI_MP_SERVICES_PROTOCOL is entry n, the numbering the kernel
 * and the model keep (model CPU n runs on real CPU n where it exists). */
struct mc_handoff_cpu {
	u32 apic_id;            /* CPUID.1:EBX[31:24] (xAPIC), or CPUID 0xB EDX (x2APIC) */
	u32 package;            /* EFI_CPU_PHYSICAL_LOCATION.Package */
	u32 core, thread;
};

/* How the kernel ends the run. */
enum mc_exit_mode {
	MC_EXIT_AUTO = 0,       /* isa-debug-exit under a hypervisor, else pause + reset */
	MC_EXIT_RESET,
	MC_EXIT_HALT,
};

struct mc_handoff {
	u64 magic;
	u32 version;
	u32 size;               /* sizeof(struct mc_handoff) as the stage saw it */

	u64 memmap;             /* PA of struct mc_mem_range[memmap_count] */
	u32 memmap_count;
	u32 memmap_entry_size;  /* sizeof(struct mc_mem_range) */

	u64 rsdp;               /* ACPI 2.0+ RSDP, or 0 */
	u64 runtime_services;   /* EFI_RUNTIME_SERVICES *, or 0 */
	struct mc_framebuffer fb;

	u16 serial_port;        /* 0 = none */
	u8  exit_mode;          /* enum mc_exit_mode */
	u8  pad0;
	u32 cpu_count;          /* CPUs the stage saw (MP services) */

	u64 kernel_base, kernel_size;
	u64 scratch_base, scratch_size;   /* pages reserved for the kernel's tables and stacks */
	u64 model_state, model_size;      /* the software model's state, or 0 for hw */

	/* SMP (issue 11): one 4 KiB page below 1 MiB for the AP start-up
	 * trampoline (INIT-SIPI-SIPI vectors address a page there), reserved
	 * before ExitBootServices, or 0; and the stage's CPUs in MP order. */
	u64 trampoline;
	u32 mp_count;           /* entries of mp[] filled (<= cpu_count) */
	u32 pad1;
	struct mc_handoff_cpu mp[MC_HANDOFF_MAX_CPUS];

	char options[256];      /* kernel options, "key=value key=value" */
	char platform_name[32]; /* "hw" or the profile's file name */

	struct mc_results results;        /* the UEFI stage's results */
};

/* Checks magic, version, size and internal consistency. Returns true, or
 * false with a one-line reason in err. */
bool mc_handoff_validate(const struct mc_handoff *h, char *err, size_t errlen);

/* Find "key=" in a "k=v k=v" option string; copies the value. */
bool mc_option_get(const char *options, const char *key, char *val, size_t vallen);

#endif
