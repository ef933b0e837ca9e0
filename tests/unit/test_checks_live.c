/* host/live_platform.c on this machine: an MSR read either works, #GPs, or
 * leaves a clear reason (no msr driver, not root) that `memcrypt check`
 * turns into status 2 - never a made-up value. */
#include "tests/unit/harness.h"
#include "host/live_platform.h"
#include "lib/checks/checks.h"
#include <string.h>
#include <unistd.h>

TEST(checks_live, msr_access_is_honest)
{
	struct mc_platform p;
	struct live_ctx *ctx;
	char err[200], msg[256];
	if (live_platform_open(&p, &ctx, err, sizeof(err))) {
		SKIP("live platform unavailable: %s", err);
		return;
	}
	EXPECT(p.cpu_count(p.ctx) == (int)sysconf(_SC_NPROCESSORS_ONLN), "one logical CPU per online Linux CPU (%d)", p.cpu_count(p.ctx));
	u64 v = 0x5a5a;
	int rc = mc_rdmsr(&p, 0, 0x10, &v);                /* IA32_TIME_STAMP_COUNTER */
	int why = live_platform_access_error(ctx, msg, sizeof(msg));
	if (rc == MC_PLAT_ENOSYS)
		EXPECT(why && v == 0x5a5a && strstr(msg, "/dev/cpu/") && (strstr(msg, "modprobe msr") || strstr(msg, "root")),
		       "unreadable MSR leaves the value alone and says why (\"%s\")", msg);
	else
		EXPECT(why == 0 && (rc == 0 || rc == X86_TRAP_GP), "readable MSR device: value or #GP (rc %d)", rc);
	EXPECT(mc_wrmsr(&p, 0, 0x10, 0) == MC_PLAT_ENOSYS, "the live platform never writes an MSR");
	EXPECT(mc_rdmsr(&p, 4096, 0x10, &v) == MC_PLAT_ENOSYS, "a CPU that does not exist is unreachable, not a value");

	struct cpuid_regs r0, r1;
	mc_cpuid(&p, 0, 0, &r0);
	p.cpuid(p.ctx, p.cpu_count(p.ctx) - 1, 0, 0, &r1);
	EXPECT(r0.ebx == r1.ebx && r0.ecx == r1.ecx && r0.edx == r1.edx, "CPUID pinned to the last CPU reads the same vendor");
	live_platform_close(ctx);
}
