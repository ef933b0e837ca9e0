/* efi_main: the BIOS stage. Banner, platform, policy, (program or
 * validate), checks, then load the kernel, leave boot services and hand off.
 * See docs/architecture.md for the data flow. */
#include "efi/stage.h"
#include "efi/bios.h"
#include "arch/x86/cpu.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/policy.h"
#include "lib/checks/checks.h"
#include "lib/model/model.h"

#define KERNEL_PATH       L"\\memcrypt\\kernel.elf"
#define KERNEL_PATH_A     "\\memcrypt\\kernel.elf"
#define POLICY_PATH       L"\\memcrypt\\policy.conf"
#define SCRATCH_BYTES     (4ULL << 20)
#define SCRATCH_PER_CPU   (24ULL << 10)   /* an AP's stack, exception stack, GDT and TSS (kernel/smp.c) */

typedef void (*kernel_entry_fn)(struct mc_handoff *h) __attribute__((sysv_abi));

static void report_sink(const char *line, void *arg)
{
	stage_line(line);
}

/* Pages at or below max (0: anywhere), zeroed. */
static void *alloc_pages_below(u64 bytes, EFI_MEMORY_TYPE type, u64 max)
{
	EFI_PHYSICAL_ADDRESS a = max;
	if (EFI_ERROR(BS->AllocatePages(max ? AllocateMaxAddress : AllocateAnyPages, type, (bytes + 4095) / 4096, &a)))
		return NULL;
	mc_memset((void *)(uintptr_t)a, 0, (bytes + 4095) & ~4095ULL);
	return (void *)(uintptr_t)a;
}

static void *alloc_pages(u64 bytes, EFI_MEMORY_TYPE type)
{
	return alloc_pages_below(bytes, type, 0);
}

static void report_cpu(struct mc_results *res)
{
	struct cpuid_regs r;
	char vendor[13];
	x86_cpuid(0, 0, &r);
	mc_memcpy(vendor, &r.ebx, 4);
	mc_memcpy(vendor + 4, &r.edx, 4);
	mc_memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = 0;
	u32 max_basic = r.eax;
	x86_cpuid(0x80000000, 0, &r);
	u32 max_ext = r.eax >= 0x80000000 ? r.eax : 0;
	mc_report(res, MC_INFO, "uefi.cpu", "vendor %s, max basic leaf 0x%x, max extended leaf 0x%x",
		  vendor, max_basic, max_ext);
}

/* UEFI shell arguments arrive as UCS-2 LoadOptions "prog key=value ...";
 * the conversion is lib/policy.c's (fuzzed on the host). */
static void load_options_ascii(EFI_HANDLE image, char *out, size_t outlen)
{
	EFI_LOADED_IMAGE *li = NULL;
	out[0] = 0;
	if (EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li)) || !li)
		return;
	mc_policy_load_options_ascii(li->LoadOptions, li->LoadOptionsSize, out, outlen);
}

static bool read_policy(EFI_HANDLE image, struct mc_policy *pol, struct mc_results *res)
{
	void *text = NULL;
	UINTN size = 0;
	char err[200], args[256];
	EFI_STATUS s = stage_read_file(POLICY_PATH, &text, &size);

	mc_policy_defaults(pol);
	if (s == EFI_SUCCESS) {
		bool ok = mc_policy_parse_file(pol, text, size, "\\memcrypt\\policy.conf", err, sizeof(err));
		FreePool(text);
		if (!ok) {
			mc_report(res, MC_FAIL, "uefi.policy", "%s", err);
			return false;
		}
	} else if (s != EFI_NOT_FOUND) {
		mc_report(res, MC_FAIL, "uefi.policy", "\\memcrypt\\policy.conf: cannot read: %s", stage_efi_error(s));
		return false;
	}
	load_options_ascii(image, args, sizeof(args));
	if (args[0] && !mc_policy_parse_args(pol, args, err, sizeof(err))) {
		mc_report(res, MC_FAIL, "uefi.policy", "shell %s", err);
		return false;
	}
	mc_report(res, MC_INFO, "uefi.policy", "%s%s%s", s == EFI_SUCCESS ? "\\memcrypt\\policy.conf" : "defaults (no policy file)",
		  args[0] ? " + shell arguments: " : "", args);
	return true;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct mc_policy policy;
	struct stage_kernel kernel;
	char err[160];

	InitializeLib(image, systab);
	stage_image = image;
	BS->SetWatchdogTimer(0, 0, 0, NULL);
	stage_console_init(0x3f8);
	stage_print("memcrypt UEFI stage %s", MC_VERSION);

	/* The handoff is allocated first: the stage's results are recorded
	 * straight into it and travel to the kernel. */
	struct mc_handoff *h = alloc_pages(sizeof(*h), EfiLoaderData);
	if (!h) {
		stage_print("FAIL: uefi: cannot allocate %u bytes for the handoff", (unsigned)sizeof(*h));
		static struct mc_results none;
		stage_fail_exit(EFI_OUT_OF_RESOURCES, &none);
	}
	struct mc_results *res = &h->results;
	mc_results_init(res, MC_STAGE_UEFI);
	mc_report_set_sink(report_sink, NULL);
	/* From here on an unexpected exception is a FAIL and the crash status
	 * (efi/fault.c), resumed here. */
	stage_fault_init();
	if (setjmp(stage_fault_recovery))
		stage_fault_recovered(res);
	stage_fault_guard(res);

	report_cpu(res);
	EFI_STATUS s = stage_fs_init(image);
	if (EFI_ERROR(s)) {
		mc_report(res, MC_FAIL, "uefi.esp", "cannot open the ESP we were loaded from: %s", stage_efi_error(s));
		stage_fail_exit(s, res);
	}
	if (!read_policy(image, &policy, res))
		stage_fail_exit(EFI_INVALID_PARAMETER, res);
	stage_console_init(policy.serial_port);
	if (policy.stage_test[0])
		stage_fault_test(policy.stage_test, res);
	stage_lastrun_show(&policy, res);   /* may end the stage: reboot-loop rule (docs/bios-stage.md) */
	stage_mp_init();
	mc_report(res, MC_INFO, "uefi.mp", "%d CPUs through EFI_MP_SERVICES_PROTOCOL", stage_mp_cpu_count());
	stage_mp_survey(res);

	struct mc_platform plat;
	if (!stage_platform_init(&plat, h, res))
		stage_fail_exit(EFI_INVALID_PARAMETER, res);
	/* The firmware's memory map describes real RAM, not the model's
	 * simulated DRAM: EFI_MEMORY_CPU_CRYPTO is judged on hardware only. */
	struct mc_check_input in = { 0 };
	stage_memmap_check_input(&in);
	in.have_memmap = !h->model_state;
	if (h->model_state) {
		/* The model's RAM is its simulated DRAM; its profile carries what
		 * the OS said on the captured box (TSME). */
		mc_model_check_input((void *)(uintptr_t)h->model_state, &in);
	}
	/* Program or validate (lib/bios/program.h); the RAM top bounds the
	 * KeyID bits (Intel seed 5.1). */
	if (!stage_bios_run(&plat, &policy, in.ram_top, res))
		stage_fail_exit(EFI_INVALID_PARAMETER, res);

	/* Validate what the platform reports before handing off. */
	static struct mc_facts facts;
	mc_checks_run(&plat, &in, &facts, res);
	stage_report_write(&facts, res);   /* \memcrypt\report.txt, report.json */

	const char *refusal = mc_guest_handoff_refusal(&facts, err, sizeof(err));
	if (refusal) {
		mc_report(res, MC_SKIP, "uefi.handoff", "%s", refusal);
		stage_stop_exit(res);
	}

	if (!stage_load_kernel(KERNEL_PATH, KERNEL_PATH_A, &kernel, res))
		stage_fail_exit(EFI_LOAD_ERROR, res);

	struct mc_mem_range *ranges = alloc_pages(MC_MEMMAP_MAX * sizeof(*ranges), EfiLoaderData);
	/* Below 4 GiB: the kernel's page-table root comes first out of the
	 * scratch area, and an AP loads it into CR3 while still in 32-bit
	 * protected mode (kernel/ap_trampoline.asm). */
	u64 scratch_bytes = SCRATCH_BYTES + (u64)stage_mp_cpu_count() * SCRATCH_PER_CPU;
	void *scratch = alloc_pages_below(scratch_bytes, EfiLoaderData, 0xffffffffULL);
	/* The AP start-up page: a SIPI's vector addresses a 4 KiB page below
	 * 1 MiB (Intel SDM vol. 3, 10.4.4.1 / 8.4.4.1), reserved now, before
	 * ExitBootServices, so nothing else owns it afterwards. Without it the
	 * kernel runs on the boot CPU alone and says so (smp.bringup). */
	void *tramp = alloc_pages_below(4096, EfiLoaderData, MC_TRAMPOLINE_MAX - 1);
	if (!tramp)
		mc_report(res, MC_WARN, "uefi.trampoline", "no free page below 1 MiB for the AP start-up trampoline: the kernel will run on the boot CPU only");
	if (!ranges || !scratch) {
		mc_report(res, MC_FAIL, "uefi.alloc", "firmware refused memory for the memory map or the kernel's scratch area");
		stage_fail_exit(EFI_OUT_OF_RESOURCES, res);
	}

	h->magic = MC_HANDOFF_MAGIC;
	h->version = MC_HANDOFF_VERSION;
	h->size = sizeof(*h);
	h->rsdp = stage_find_rsdp();
	h->runtime_services = (u64)(uintptr_t)RT;
	stage_find_framebuffer(&h->fb);
	h->serial_port = policy.serial_port;
	h->exit_mode = policy.exit_mode;
	h->cpu_count = (u32)stage_mp_cpu_count();
	stage_mp_handoff(h);
	h->trampoline = (u64)(uintptr_t)tramp;
	h->kernel_base = kernel.base;
	h->kernel_size = kernel.size;
	h->scratch_base = (u64)(uintptr_t)scratch;
	h->scratch_size = scratch_bytes;
	mc_policy_kernel_options(&policy, h->options, sizeof(h->options));

	mc_report_summary(res);
	stage_print("memcrypt: handing off to the kernel at 0x%llx", (unsigned long long)kernel.entry);

	s = stage_exit_boot_services(image, h, ranges, MC_MEMMAP_MAX);
	if (EFI_ERROR(s)) {
		/* Boot services may be half gone: print through them is unsafe
		 * on some firmware, but ConOut is still the best we have. */
		mc_snprintf(err, sizeof(err), "ExitBootServices failed: %s", stage_efi_error(s));
		mc_report(res, MC_FAIL, "uefi.exit_boot_services", "%s", err);
		stage_fail_exit(s, res);
	}
	((kernel_entry_fn)(uintptr_t)kernel.entry)(h);
	for (;;)
		hlt();
}
