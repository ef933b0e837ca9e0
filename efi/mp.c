/* EFI_MP_SERVICES_PROTOCOL, declared here from the UEFI PI specification
 * (vol. 2, "MP Services Protocol"): gnu-efi 3.0.15 does not define it.
 * Used to run MSR reads and writes on every CPU (MK_TME_CORE_ACTIVATE and
 * SYSCFG are per core). */
#include "efi/stage.h"
#include "arch/x86/cpu.h"
#include "arch/x86/safe.h"
#include "lib/fmt.h"

#define MP_SERVICES_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

typedef struct {
	UINT32 Package, Core, Thread;
} MC_CPU_PHYSICAL_LOCATION;

/* PI 1.7 added ExtendedInformation; firmware that implements it writes the
 * whole struct, so it must be here even though we do not read it. */
typedef struct {
	UINT64 ProcessorId;
	UINT32 StatusFlag;
	MC_CPU_PHYSICAL_LOCATION Location;
	UINT32 ExtendedInformation[6];
} MC_PROCESSOR_INFORMATION;

typedef VOID (EFIAPI *MC_AP_PROCEDURE)(VOID *arg);

typedef struct _MC_MP_SERVICES MC_MP_SERVICES;
struct _MC_MP_SERVICES {
	EFI_STATUS (EFIAPI *GetNumberOfProcessors)(MC_MP_SERVICES *This, UINTN *Count, UINTN *Enabled);
	EFI_STATUS (EFIAPI *GetProcessorInfo)(MC_MP_SERVICES *This, UINTN Cpu, MC_PROCESSOR_INFORMATION *Info);
	EFI_STATUS (EFIAPI *StartupAllAPs)(MC_MP_SERVICES *This, MC_AP_PROCEDURE Proc, BOOLEAN SingleThread,
					   EFI_EVENT WaitEvent, UINTN TimeoutUs, VOID *Arg, UINTN **FailedCpus);
	EFI_STATUS (EFIAPI *StartupThisAP)(MC_MP_SERVICES *This, MC_AP_PROCEDURE Proc, UINTN Cpu,
					   EFI_EVENT WaitEvent, UINTN TimeoutUs, VOID *Arg, BOOLEAN *Finished);
	EFI_STATUS (EFIAPI *SwitchBSP)(MC_MP_SERVICES *This, UINTN Cpu, BOOLEAN EnableOldBsp);
	EFI_STATUS (EFIAPI *EnableDisableAP)(MC_MP_SERVICES *This, UINTN Cpu, BOOLEAN Enable, UINT32 *Health);
	EFI_STATUS (EFIAPI *WhoAmI)(MC_MP_SERVICES *This, UINTN *Cpu);
};

#define MAX_CPUS 1024

static MC_MP_SERVICES *mp;
static UINTN ncpus = 1;
static u32 package_of[MAX_CPUS];
static MC_CPU_PHYSICAL_LOCATION location[MAX_CPUS];
static u64 processor_id[MAX_CPUS];

void stage_mp_init(void)
{
	EFI_GUID guid = MP_SERVICES_GUID;
	UINTN enabled;
	ncpus = 1;
	if (EFI_ERROR(LibLocateProtocol(&guid, (void **)&mp)) || !mp) {
		mp = NULL;
		return;
	}
	if (EFI_ERROR(mp->GetNumberOfProcessors(mp, &ncpus, &enabled)) || !ncpus)
		ncpus = 1;
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	for (UINTN i = 0; i < ncpus; i++) {
		MC_PROCESSOR_INFORMATION info;
		package_of[i] = 0;
		processor_id[i] = ~0ULL;
		if (!EFI_ERROR(mp->GetProcessorInfo(mp, i, &info))) {
			package_of[i] = info.Location.Package;
			location[i] = info.Location;
			processor_id[i] = info.ProcessorId;   /* the APIC ID (PI spec) */
		}
	}
}

int stage_mp_cpu_count(void)
{
	return (int)ncpus;
}

int stage_mp_package_of(int cpu)
{
	return cpu >= 0 && (UINTN)cpu < ncpus ? (int)package_of[cpu] : 0;
}

struct ap_call {
	void (*fn)(void *);
	void *arg;
};

/* The firmware calls APs with the Microsoft ABI; our code uses System V. */
static VOID EFIAPI ap_trampoline(VOID *p)
{
	struct ap_call *c = p;
	c->fn(c->arg);
}

int stage_mp_on_cpu(int cpu, void (*fn)(void *), void *arg)
{
	UINTN self = 0;
	if (cpu < 0 || (UINTN)cpu >= ncpus)
		return MC_PLAT_ENOSYS;
	if (!mp || EFI_ERROR(mp->WhoAmI(mp, &self)) || self == (UINTN)cpu) {
		if (mp || cpu == 0) {
			fn(arg);
			return 0;
		}
		return MC_PLAT_ENOSYS;
	}
	struct ap_call c = { fn, arg };
	/* Blocking call with a 1 s bound: a wedged AP is an error, not a hang. */
	EFI_STATUS s = mp->StartupThisAP(mp, ap_trampoline, (UINTN)cpu, NULL, 1000000, &c, NULL);
	if (EFI_ERROR(s))
		stage_fault_take_ap();   /* an exception there: its FAIL (efi/fault.c) */
	return EFI_ERROR(s) ? MC_PLAT_ENOSYS : 0;
}

/* Every CPU reached, and the guarded MSR path working on it: run CPUID and
 * a fault-safe RDMSR of IA32_APIC_BASE (1BH, architectural on every x86-64
 * CPU) on each CPU through the MP services. The APIC IDs must differ and
 * the BSP flag (IA32_APIC_BASE bit 8) must be set on the boot CPU only. The
 * per-core BIOS writes and per-CPU checks depend on exactly this path. */
#define MSR_IA32_APICBASE      0x0000001b
#define MSR_IA32_APICBASE_BSP  BIT_ULL(8)

struct survey {
	u32 apic_id;
	int fault;
	u64 apic_base;
};

static void survey_one(void *arg)
{
	struct survey *s = arg;
	struct cpuid_regs r;
	x86_cpuid(1, 0, &r);
	s->apic_id = r.ebx >> 24;
	s->fault = x86_rdmsr_safe(MSR_IA32_APICBASE, &s->apic_base);
}

void stage_mp_survey(struct mc_results *res)
{
	static struct survey s[MAX_CPUS];
	char ids[160];
	size_t n = 0;
	int unreached = -1, faulted = -1, bsps = 0, dup = -1, bsp_cpu = -1;
	UINTN self = 0;

	if (mp)
		mp->WhoAmI(mp, &self);
	for (int cpu = 0; cpu < (int)ncpus; cpu++) {
		s[cpu] = (struct survey){ 0xffffffffu, 0, 0 };
		if (stage_mp_on_cpu(cpu, survey_one, &s[cpu])) {
			if (unreached < 0)
				unreached = cpu;
			continue;
		}
		if (s[cpu].fault && faulted < 0)
			faulted = cpu;
		if (!s[cpu].fault && (s[cpu].apic_base & MSR_IA32_APICBASE_BSP)) {
			bsps++;
			bsp_cpu = cpu;
		}
		for (int j = 0; j < cpu; j++)
			if (s[j].apic_id == s[cpu].apic_id && dup < 0)
				dup = cpu;
		if (n + 12 < sizeof(ids))
			n += (size_t)mc_snprintf(ids + n, sizeof(ids) - n, "%s%u", cpu ? "," : "", s[cpu].apic_id);
	}
	ids[n] = 0;
	if (unreached >= 0) {
		mc_report(res, MC_FAIL, "uefi.mp_reach", "CPU %d of %d could not be reached through EFI_MP_SERVICES_PROTOCOL",
			  unreached, (int)ncpus);
		return;
	}
	mc_report_check(res, dup < 0, "uefi.mp_reach",
			"ran on CPUs 0-%d through EFI_MP_SERVICES_PROTOCOL: APIC IDs %s (expected all different)",
			(int)ncpus - 1, ids);
	if (faulted >= 0) {
		mc_report(res, MC_FAIL, "uefi.mp_msr", "guarded RDMSR of IA32_APIC_BASE faulted (%s) on CPU %d",
			  mc_fault_name(s[faulted].fault), faulted);
		return;
	}
	mc_report_check(res, bsps == 1 && bsp_cpu == (int)self, "uefi.mp_msr",
			"guarded RDMSR of IA32_APIC_BASE on every CPU: BSP flag (bit 8) on %d CPU(s), CPU %d; "
			"the stage runs on CPU %d (expected exactly that one)", bsps, bsp_cpu, (int)self);
}

/* The survey for the kernel (lib/handoff.h): processor n's APIC ID and
 * physical location, so the kernel numbers the CPUs it starts itself the
 * way the stage (and the model's CPU map) did. Without MP services, the
 * boot CPU alone with its own APIC ID. */
void stage_mp_handoff(struct mc_handoff *h)
{
	struct cpuid_regs r;
	UINTN n = ncpus < MC_HANDOFF_MAX_CPUS ? ncpus : MC_HANDOFF_MAX_CPUS;
	h->mp_count = (u32)n;
	for (UINTN i = 0; i < n; i++) {
		h->mp[i].apic_id = (u32)processor_id[i];
		h->mp[i].package = location[i].Package;
		h->mp[i].core = location[i].Core;
		h->mp[i].thread = location[i].Thread;
	}
	if (!mp) {
		x86_cpuid(1, 0, &r);
		h->mp_count = 1;
		h->mp[0] = (struct mc_handoff_cpu){ r.ebx >> 24, 0, 0, 0 };
	}
}
