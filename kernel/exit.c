#include "kernel/exit.h"
#include "kernel/console.h"
#include "kernel/efirt.h"
#include "arch/x86/cpu.h"

static u8 exit_mode = MC_EXIT_AUTO;

void kernel_exit_init(const struct mc_handoff *h)
{
	exit_mode = h->exit_mode;
}

static bool under_hypervisor(void)
{
	struct cpuid_regs r;
	x86_cpuid(1, 0, &r);
	return r.ecx & BIT(31);   /* CPUID.1:ECX[31] hypervisor present */
}

static bool debug_exit_first(void)
{
	return exit_mode == MC_EXIT_AUTO && under_hypervisor();
}

bool kernel_exit_resets(void)
{
	return !debug_exit_first() && exit_mode != MC_EXIT_HALT && efirt_available();
}

/* About `seconds` of wall time from the TSC; the rate is unknown, so assume
 * a conservative 1 GHz (a longer pause on faster CPUs is harmless). */
static void pause_seconds(unsigned int seconds)
{
	u64 end = rdtsc() + (u64)seconds * 1000000000ULL;
	while (rdtsc() < end)
		cpu_relax();
}

void kernel_exit(enum kernel_status status)
{
	static const char *const what[] = { "all passed", "failures", "crash" };
	cli();
	kprintf("memcrypt: run ended: %s (status %d)", what[status], status);
	if (debug_exit_first())
		outl(QEMU_DEBUG_EXIT_PORT, status);
	/* Still here: real hardware, or no isa-debug-exit device. */
	if (exit_mode != MC_EXIT_HALT && efirt_available()) {
		kprintf("memcrypt: resetting in 10 seconds (policy exit=halt keeps the screen)");
		pause_seconds(10);
		efirt_reset_cold();
	}
	kprintf("memcrypt: halted");
	for (;;)
		hlt();
}
