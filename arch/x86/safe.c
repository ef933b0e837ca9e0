#include "arch/x86/safe.h"
#include "arch/x86/idt.h"

int x86_rdmsr_safe(u32 msr, u64 *val)
{
	struct x86_probe t;
	x86_probe_begin(&t);
	int r = __x86_rdmsr_safe(msr, val);
	x86_probe_end(&t);
	return r;
}

int x86_wrmsr_safe(u32 msr, u64 val)
{
	struct x86_probe t;
	x86_probe_begin(&t);
	int r = __x86_wrmsr_safe(msr, val);
	x86_probe_end(&t);
	return r;
}

int x86_pconfig_safe(u32 leaf, const void *s, u64 *rax, bool *zf)
{
	u8 z = 0;
	struct x86_probe t;
	x86_probe_begin(&t);
	int r = __x86_pconfig_safe(leaf, s, rax, &z);
	x86_probe_end(&t);
	*zf = z != 0;
	return r;
}

int x86_ud2_safe(void)
{
	struct x86_probe t;
	x86_probe_begin(&t);
	int r = __x86_ud2_safe();
	x86_probe_end(&t);
	return r;
}

int x86_read64_safe(u64 addr, u64 *val)
{
	struct x86_probe t;
	x86_probe_begin(&t);
	int r = __x86_read64_safe(addr, val);
	x86_probe_end(&t);
	return r;
}

bool x86_rdrand64(u64 *val)
{
	struct cpuid_regs r;
	x86_cpuid(1, 0, &r);
	if (!(r.ecx & BIT(30)))          /* CPUID.1:ECX[30] RDRAND */
		return false;
	for (int i = 0; i < 10; i++) {
		u8 ok;
		u64 v;
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
		if (ok) {
			*val = v;
			return true;
		}
	}
	return false;
}
