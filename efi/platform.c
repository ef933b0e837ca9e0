/* Which platform this run talks to: with \memcrypt\profile on the ESP the
 * software model (lib/model) driven by that profile, whose state lives in
 * pages the kernel inherits through the handoff; otherwise the hardware,
 * through the fault-safe instructions and EFI_MP_SERVICES_PROTOCOL. */
#include "efi/stage.h"
#include "arch/x86/hw_platform.h"
#include "arch/x86/safe.h"
#include "lib/model/model.h"
#include "lib/model/profile.h"
#include "lib/mem.h"
#include "lib/fmt.h"

#define PROFILE_PATH   L"\\memcrypt\\profile"
#define PROFILE_PATH_A "\\memcrypt\\profile"

static struct hw_platform hw;

static int mp_count(void *arg) { return stage_mp_cpu_count(); }
static int mp_package(void *arg, int cpu) { return stage_mp_package_of(cpu); }
static int mp_on_cpu(void *arg, int cpu, void (*fn)(void *), void *a) { return stage_mp_on_cpu(cpu, fn, a); }

/* Seed for the model's RNG (its platform keys): RDRAND when there is one,
 * else the TSC. The model is a test platform; its keys protect nothing. */
static u64 model_seed(void)
{
	u64 v;
	if (x86_rdrand64(&v))
		return v;
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

/* On the model, a per-CPU MSR access for model CPU n runs on real CPU n
 * through EFI_MP_SERVICES_PROTOCOL when the machine has that CPU (and on
 * the boot CPU for model CPUs beyond it): the per-core BIOS writes then take
 * the same MP path they take on hardware, and -smp changes what is shown. */
static struct mc_platform model_plat;

struct model_msr_call {
	int cpu;
	u32 msr;
	u64 val;
	int fault;
	bool write;
};

static void model_msr_on_cpu(void *arg)
{
	struct model_msr_call *c = arg;
	c->fault = c->write ? model_plat.wrmsr(model_plat.ctx, c->cpu, c->msr, c->val)
			    : model_plat.rdmsr(model_plat.ctx, c->cpu, c->msr, &c->val);
}

static int model_msr(int cpu, u32 msr, u64 *val, bool write)
{
	struct model_msr_call c = { cpu, msr, *val, 0, write };
	if (cpu == MC_CPU_CURRENT || cpu >= stage_mp_cpu_count() || stage_mp_on_cpu(cpu, model_msr_on_cpu, &c))
		model_msr_on_cpu(&c);
	*val = c.val;
	return c.fault;
}

static int model_rdmsr_mp(void *ctx, int cpu, u32 msr, u64 *val)
{
	return model_msr(cpu, msr, val, false);
}

static int model_wrmsr_mp(void *ctx, int cpu, u32 msr, u64 val)
{
	return model_msr(cpu, msr, &val, true);
}

static bool use_model(struct mc_platform *plat, struct mc_handoff *h, const char *text, UINTN size,
		      struct mc_results *res)
{
	static struct mc_profile profile;   /* large: keep it off the stack */
	char err[200];

	if (mc_profile_parse(&profile, text, size, PROFILE_PATH_A, err, sizeof(err))) {
		mc_report(res, MC_FAIL, "uefi.platform", "%s", err);
		return false;
	}
	u64 bytes = mc_model_state_size(&profile);
	if (!bytes) {
		/* The layout is refused (e.g. DRAM over the KeyID bits): init says why. */
		mc_model_init(NULL, 0, &profile, 0, err, sizeof(err));
		mc_report(res, MC_FAIL, "uefi.platform", "%s: model: %s", PROFILE_PATH_A, err);
		return false;
	}
	EFI_PHYSICAL_ADDRESS a = 0;
	EFI_STATUS s = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, (bytes + 4095) / 4096, &a);
	if (EFI_ERROR(s)) {
		mc_report(res, MC_FAIL, "uefi.platform", "%s: firmware refused %llu KiB for the model: %s",
			  PROFILE_PATH_A, (unsigned long long)(bytes >> 10), stage_efi_error(s));
		return false;
	}
	void *state = (void *)(uintptr_t)a;
	/* A profile's `seed` makes the run's keys recomputable (key-hygiene test). */
	u64 seed = profile.seed_set ? profile.seed : model_seed();
	if (mc_model_init(state, bytes, &profile, seed, err, sizeof(err)) ||
	    mc_model_attach(state, bytes, plat)) {
		mc_report(res, MC_FAIL, "uefi.platform", "%s: model: %s", PROFILE_PATH_A, err);
		return false;
	}
	h->model_state = a;
	h->model_size = bytes;
	mc_strlcpy(h->platform_name, "model:profile", sizeof(h->platform_name));
	int cpus = plat->cpu_count(plat->ctx), real = stage_mp_cpu_count();
	struct mc_model_info mi;
	mc_model_info(state, &mi);
	char dram[96] = " incl. simulated DRAM";
	if (mi.dram_sparse)
		mc_snprintf(dram, sizeof(dram), "; memory map %llu GiB modelled sparse: up to %llu MiB of written pages stored",
			    (unsigned long long)(mi.dram_size >> 30), (unsigned long long)(mi.dram_stored_max >> 20));
	mc_report(res, MC_INFO, "uefi.platform", "model from %s (%d CPUs, %llu KiB state%s)%s",
		  PROFILE_PATH_A, cpus, (unsigned long long)(bytes >> 10), dram,
		  profile.seed_set ? "; DRBG seed from the profile: its keys are recomputable (tests only)" : "");
	model_plat = *plat;
	plat->rdmsr = model_rdmsr_mp;
	plat->wrmsr = model_wrmsr_mp;
	if (real >= cpus)
		mc_report(res, MC_INFO, "uefi.mp_model", "model CPUs 0-%d: MSR accesses run on their own CPU through MP services",
			  cpus - 1);
	else
		mc_report(res, MC_INFO, "uefi.mp_model",
			  "model CPUs 0-%d: MSR accesses run on their own CPU through MP services; CPUs %d-%d exist only in the "
			  "profile and run on the boot CPU", real - 1, real, cpus - 1);
	return true;
}

bool stage_platform_init(struct mc_platform *plat, struct mc_handoff *h, struct mc_results *res)
{
	void *text = NULL;
	UINTN size = 0;
	EFI_STATUS s = stage_read_file(PROFILE_PATH, &text, &size);

	if (s == EFI_SUCCESS) {
		bool ok = use_model(plat, h, text, size, res);
		FreePool(text);
		return ok;
	}
	if (s != EFI_NOT_FOUND) {
		mc_report(res, MC_FAIL, "uefi.platform", "%s: cannot read: %s", PROFILE_PATH_A, stage_efi_error(s));
		return false;
	}
	struct hw_platform_ops ops = { .cpu_count = mp_count, .package_of = mp_package, .on_cpu = mp_on_cpu };
	hw_platform_init(&hw, &ops, plat);
	mc_strlcpy(h->platform_name, "hw", sizeof(h->platform_name));
	mc_report(res, MC_INFO, "uefi.platform", "hardware (no %s): real CPUID, RDMSR/WRMSR and PCONFIG behind fault fixups",
		  PROFILE_PATH_A);
	return true;
}
