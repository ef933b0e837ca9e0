/* EFI_MP_SERVICES_PROTOCOL, declared here from the UEFI PI specification
 * (vol. 2, "MP Services Protocol"): gnu-efi 3.0.15 does not define it.
 * Used to run MSR reads and writes on every CPU (MK_TME_CORE_ACTIVATE and
 * SYSCFG are per core). */
#include "efi/stage.h"

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
		if (!EFI_ERROR(mp->GetProcessorInfo(mp, i, &info)))
			package_of[i] = info.Location.Package;
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
	return EFI_ERROR(s) ? MC_PLAT_ENOSYS : 0;
}
