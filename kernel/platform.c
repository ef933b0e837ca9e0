/* The kernel continues the platform the UEFI stage used: the model's state
 * (its address in the handoff) attached with the kernel's own copy of the
 * model code, or the hardware through the fault-safe instructions. The
 * kernel runs on the boot CPU only, so the hw platform reaches no other
 * CPU: per-CPU checks say SKIP there (the stage checked every CPU). The
 * hw memory port (kernel/hw_mem.c) maps KeyID / C-bit addresses through a
 * window of the kernel's page tables. */
#include "kernel/kernel.h"
#include "arch/x86/hw_platform.h"
#include "kernel/hw_mem.h"
#include "lib/model/model.h"

static struct hw_platform hw;

bool kernel_platform_init(struct kernel_ctx *k)
{
	struct mc_handoff *h = k->handoff;
	if (h->model_state) {
		if (mc_model_attach((void *)(uintptr_t)h->model_state, h->model_size, &k->plat)) {
			mc_report(k->res, MC_FAIL, "kernel.platform",
				  "model state at 0x%llx (0x%llx bytes) from the stage does not validate",
				  (unsigned long long)h->model_state, (unsigned long long)h->model_size);
			return false;
		}
		k->on_model = true;
		mc_report(k->res, MC_INFO, "kernel.platform", "continuing the stage's model (state at 0x%llx, %llu KiB)",
			  (unsigned long long)h->model_state, (unsigned long long)(h->model_size >> 10));
		return true;
	}
	struct hw_platform_ops ops = { 0 };
	/* The memory port maps tagged addresses through our page tables. */
	hw_mem_ops(k, &ops);
	hw_platform_init(&hw, &ops, &k->plat);
	k->on_model = false;
	mc_report(k->res, MC_INFO, "kernel.platform", "hardware, boot CPU only (the UEFI stage checked every CPU)");
	return true;
}
