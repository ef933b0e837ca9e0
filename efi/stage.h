/* The UEFI stage's internal interface. Only efi/ includes GNU-EFI. */
#ifndef MC_EFI_STAGE_H
#define MC_EFI_STAGE_H
#include <efi.h>
#include <efilib.h>
#include <efisetjmp.h>
#include "lib/handoff.h"
#include "lib/platform.h"

#ifndef EFI_MEMORY_CPU_CRYPTO
#define EFI_MEMORY_CPU_CRYPTO 0x0000000000080000ULL   /* UEFI 2.8, 7.2 */
/* The stage ends through isa-debug-exit (QEMU) or a return to the firmware,
 * after a visible pause; the firmware's IDT is put back first. */
__attribute__((noreturn)) void stage_end(EFI_STATUS status, u32 debug_exit);

/* fault.c: the stage's own unexpected exceptions, reported and recovered
 * from (see there). efi_main: stage_fault_init; if (setjmp(
 * stage_fault_recovery)) stage_fault_recovered(res); stage_fault_guard(res). */
struct mc_results;
extern jmp_buf stage_fault_recovery;
void stage_fault_init(void);
void stage_fault_guard(struct mc_results *res);
void stage_fault_unguard(void);
__attribute__((noreturn)) void stage_fault_recovered(struct mc_results *res);
/* An AP's fault recorded by our gate (it halted there): a FAIL, true
 * (efi/mp.c, when an AP call ran past its bound). */
bool stage_fault_take_ap(void);
/* stage-test=vector-N (lib/policy.c): raise it, unguarded. */
void stage_fault_test(const char *what, struct mc_results *res);

#endif

/* console.c: ConOut (the screen) and the raw serial port, unless the
 * firmware already mirrors ConOut to a serial terminal. */
void stage_console_init(u16 serial_port);
void stage_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void stage_line(const char *line);

/* fs.c: files on the ESP we were loaded from. Paths use backslashes. */
EFI_STATUS stage_fs_init(EFI_HANDLE image);
/* Read a whole file into pool memory (NUL-terminated); EFI_NOT_FOUND when
 * absent. */
EFI_STATUS stage_read_file(const CHAR16 *path, void **data, UINTN *size);
/* Create or replace a file (creating \memcrypt if needed). */
EFI_STATUS stage_write_file(const CHAR16 *path, const void *data, UINTN size);
const char *stage_efi_error(EFI_STATUS s);

/* loader.c: validate and load \memcrypt\kernel.elf. */
struct stage_kernel {
	u64 base;       /* where it was loaded */
	u64 size;       /* bytes allocated (pages) */
	u64 entry;      /* absolute entry address */
};
/* kernel_digest.c: kernel.elf's SHA-256 against the digest embedded at
 * build time (scripts/embed-kernel-hash); FAIL uefi.kernel_sha256 and false
 * when it differs or none was embedded. */
bool stage_verify_kernel(const void *file, UINTN size, const char *display_path, struct mc_results *res);
bool stage_load_kernel(const CHAR16 *path, const char *display_path, struct stage_kernel *k,
		       struct mc_results *res);

/* memmap.c: firmware map -> our own type, then ExitBootServices. */
EFI_STATUS stage_exit_boot_services(EFI_HANDLE image, struct mc_handoff *h,
				    struct mc_mem_range *ranges, u32 max_ranges);
/* Conventional memory and how much of it is EFI_MEMORY_CPU_CRYPTO. */
/* The checks' input from the firmware's memory map: conventional memory,
 * how much of it is EFI_MEMORY_CPU_CRYPTO, and the top of RAM. */
struct mc_check_input;
void stage_memmap_check_input(struct mc_check_input *in);

/* mp.c: EFI_MP_SERVICES_PROTOCOL (PI spec, vol. 2, 13.4). */
void stage_mp_init(void);
int  stage_mp_cpu_count(void);
int  stage_mp_package_of(int cpu);
int  stage_mp_on_cpu(int cpu, void (*fn)(void *), void *arg);
/* Reach every CPU (CPUID + a guarded RDMSR on each) and report it. */
void stage_mp_survey(struct mc_results *res);
void stage_mp_handoff(struct mc_handoff *h);

/* platform.c: the model from \memcrypt\profile, or the hardware. */
bool stage_platform_init(struct mc_platform *plat, struct mc_handoff *h, struct mc_results *res);

/* gop.c / acpi: what the kernel needs to find the screen and the tables. */
void stage_find_framebuffer(struct mc_framebuffer *fb);
u64  stage_find_rsdp(void);

/* Our own image handle (set first thing in efi_main). */
extern EFI_HANDLE stage_image;

/* exit.c: end the stage without the kernel (bad kernel file, ...). */
__attribute__((noreturn)) void stage_fail_exit(EFI_STATUS status, struct mc_results *res);
/* The stage ends by design, without a kernel: status 0 unless a FAIL was
 * recorded (isa-debug-exit on QEMU, else back to the firmware). */
__attribute__((noreturn)) void stage_stop_exit(struct mc_results *res);

/* The stage ends through isa-debug-exit (QEMU) or a return to the firmware,
 * after a visible pause; the firmware's IDT is put back first. */
__attribute__((noreturn)) void stage_end(EFI_STATUS status, u32 debug_exit);

/* fault.c: the stage's own unexpected exceptions, reported and recovered
 * from (see there). efi_main: stage_fault_init; if (setjmp(
 * stage_fault_recovery)) stage_fault_recovered(res); stage_fault_guard(res). */
struct mc_results;
extern jmp_buf stage_fault_recovery;
void stage_fault_init(void);
void stage_fault_guard(struct mc_results *res);
void stage_fault_unguard(void);
__attribute__((noreturn)) void stage_fault_recovered(struct mc_results *res);
/* An AP's fault recorded by our gate (it halted there): a FAIL, true
 * (efi/mp.c, when an AP call ran past its bound). */
bool stage_fault_take_ap(void);
/* stage-test=vector-N (lib/policy.c): raise it, unguarded. */
void stage_fault_test(const char *what, struct mc_results *res);

#endif
