/* efi_main: the BIOS stage. Banner, platform, policy, (program or
 * validate), checks, then load the kernel, leave boot services and hand off.
 * See docs/architecture.md for the data flow. */
#include "efi/stage.h"
#include "efi/bios.h"
#include "arch/x86/cpu.h"
#include "arch/x86/idt.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/policy.h"
#include "lib/checks/checks.h"
#include "lib/model/model.h"

#define KERNEL_PATH       L"\\memcrypt\\kernel.elf"
#define KERNEL_PATH_A     "\\memcrypt\\kernel.elf"
#define POLICY_PATH       L"\\memcrypt\\policy.conf"
#define SCRATCH_BYTES     (4ULL << 20)

typedef void (*kernel_entry_fn)(struct mc_handoff *h) __attribute__((sysv_abi));

static void report_sink(const char *line, void *arg)
{
	stage_line(line);
}

static void stage_fatal_exception(const struct x86_frame *f)
{
	stage_print("FAIL: uefi: unexpected exception %s at RIP=0x%llx error=0x%llx during a probe",
		    x86_vector_name(f->vector), (unsigned long long)f->rip, (unsigned long long)f->error);
	outl(0xf4, 2);
	for (;;)
		hlt();
}

static void *alloc_pages(u64 bytes, EFI_MEMORY_TYPE type)
{
	EFI_PHYSICAL_ADDRESS a = 0;
	if (EFI_ERROR(BS->AllocatePages(AllocateAnyPages, type, (bytes + 4095) / 4096, &a)))
		return NULL;
	mc_memset((void *)(uintptr_t)a, 0, (bytes + 4095) & ~4095ULL);
	return (void *)(uintptr_t)a;
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

/* UEFI shell arguments arrive as UCS-2 LoadOptions "prog key=value ...".
 * Anything that is not printable ASCII (boot-manager binary data) is
 * ignored; the first word is the program's own name unless it has '='. */
static void load_options_ascii(EFI_HANDLE image, char *out, size_t outlen)
{
	EFI_LOADED_IMAGE *li = NULL;
	out[0] = 0;
	if (EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li)) || !li ||
	    !li->LoadOptions || li->LoadOptionsSize < 2)
		return;
	const CHAR16 *w = li->LoadOptions;
	size_t n = li->LoadOptionsSize / 2, j = 0;
	for (size_t i = 0; i < n && w[i]; i++) {
		if (w[i] < 0x20 || w[i] > 0x7e) {
			out[0] = 0;
			return;
		}
		if (j + 1 < outlen)
			out[j++] = (char)w[i];
	}
	out[j] = 0;
	size_t first = 0;
	while (out[first] && out[first] != ' ' && out[first] != '=')
		first++;
	if (out[first] != '=') {
		while (out[first] == ' ')
			first++;
		mc_memmove(out, out + first, mc_strlen(out + first) + 1);
	}
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
	x86_idt_init(stage_fatal_exception);

	report_cpu(res);
	EFI_STATUS s = stage_fs_init(image);
	if (EFI_ERROR(s)) {
		mc_report(res, MC_FAIL, "uefi.esp", "cannot open the ESP we were loaded from: %s", stage_efi_error(s));
		stage_fail_exit(s, res);
	}
	if (!read_policy(image, &policy, res))
		stage_fail_exit(EFI_INVALID_PARAMETER, res);
	stage_console_init(policy.serial_port);
	stage_lastrun_show(&policy, res);   /* may end the stage: reboot-loop rule (docs/bios-stage.md) */
	stage_mp_init();
	mc_report(res, MC_INFO, "uefi.mp", "%d CPUs through EFI_MP_SERVICES_PROTOCOL", stage_mp_cpu_count());
	stage_mp_survey(res);

	struct mc_platform plat;
	if (!stage_platform_init(&plat, h, res))
		stage_fail_exit(EFI_INVALID_PARAMETER, res);
	if (!stage_bios_run(&plat, &policy, res))   /* program or validate (lib/bios/program.h) */
		stage_fail_exit(EFI_INVALID_PARAMETER, res);

	/* Validate what the platform reports before handing off. */
	static struct mc_facts facts;
	/* The firmware's memory map describes real RAM, not the model's
	 * simulated DRAM: EFI_MEMORY_CPU_CRYPTO is judged on hardware only. */
	struct mc_check_input in = { 0 };
	stage_memmap_check_input(&in);
	in.have_memmap = !h->model_state;
	if (h->model_state) {
		/* The model's RAM is its simulated DRAM; its profile carries what
		 * the OS said on the captured box (TSME). */
		struct mc_model_info info;
		void *state = (void *)(uintptr_t)h->model_state;
		in.ram_top = mc_model_info(state, &info) ? 0 : info.dram_size;
		/* Only TSME crosses over: the rest of the view is what Linux said
		 * about a box this stage may have reprogrammed since; it is
		 * judged against the registers by `memcrypt check` only. */
		static struct mc_os_view tsme_only;
		const struct mc_os_view *os = mc_model_os_view(state);
		tsme_only.tsme = os ? os->tsme : MC_TRI_UNKNOWN;
		in.os = &tsme_only;
	}
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
	void *scratch = alloc_pages(SCRATCH_BYTES, EfiLoaderData);
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
	h->kernel_base = kernel.base;
	h->kernel_size = kernel.size;
	h->scratch_base = (u64)(uintptr_t)scratch;
	h->scratch_size = SCRATCH_BYTES;
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
