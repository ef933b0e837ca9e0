/* The kernel continues the platform the UEFI stage used: the model's state
 * (its address in the handoff) attached with the kernel's own copy of the
 * model code, or the hardware through the fault-safe instructions. Either
 * way a per-CPU operation for CPU n runs on real CPU n (kernel/smp.c) when
 * the machine has it, the way the stage maps model CPUs through MP
 * services: CPUID, RDMSR/WRMSR and PCONFIG of model CPU n execute on real
 * CPU n, and model CPUs beyond the machine's run on the boot CPU. The hw
 * memory port (kernel/hw_mem.c) maps KeyID / C-bit addresses through a
 * window of the kernel's page tables. */
#include "kernel/kernel.h"
#include "kernel/platform_smp.h"
#include "kernel/smp.h"
#include "arch/x86/hw_platform.h"
#include "kernel/hw_mem.h"
#include "lib/model/model.h"

static struct hw_platform hw;

static int hw_count(void *arg) { return smp_cpu_count(); }
static int hw_package(void *arg, int cpu) { return package_of(cpu == MC_CPU_CURRENT ? smp_this_cpu() : cpu); }
static int hw_on(void *arg, int cpu, void (*fn)(void *), void *a) { return on_cpu(cpu, fn, a); }

bool kernel_platform_init(struct kernel_ctx *k)
{
	struct mc_handoff *h = k->handoff;
	if (h->model_state) {
		if (kmodel_attach(k)) {
			mc_report(k->res, MC_FAIL, "kernel.platform",
				  "model state at 0x%llx (0x%llx bytes) from the stage does not validate",
				  (unsigned long long)h->model_state, (unsigned long long)h->model_size);
			return false;
		}
		k->on_model = true;
		mc_report(k->res, MC_INFO, "kernel.platform", "continuing the stage's model (state at 0x%llx, %llu KiB)",
			  (unsigned long long)h->model_state, (unsigned long long)(h->model_size >> 10));
		kmodel_report_map(k);
		return true;
	}
	struct hw_platform_ops ops = { .cpu_count = hw_count, .package_of = hw_package, .on_cpu = hw_on };
	/* The memory port maps tagged addresses through our page tables. */
	hw_mem_ops(k, &ops);
	hw_platform_init(&hw, &ops, &k->plat);
	k->on_model = false;
	mc_report(k->res, MC_INFO, "kernel.platform", "hardware: %d CPU(s) in %d package(s), each reached by the kernel itself",
		  smp_cpu_count(), smp_packages());
	return true;
}
