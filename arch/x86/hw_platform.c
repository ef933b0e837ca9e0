#include "arch/x86/hw_platform.h"
#include "arch/x86/cpu.h"
#include "arch/x86/safe.h"

static int hw_cpu_count(void *ctx)
{
	struct hw_platform *hw = ctx;
	return hw->ops.cpu_count ? hw->ops.cpu_count(hw->ops.arg) : 1;
}

static int hw_package_of(void *ctx, int cpu)
{
	struct hw_platform *hw = ctx;
	return hw->ops.package_of ? hw->ops.package_of(hw->ops.arg, cpu) : 0;
}

static int run_on(struct hw_platform *hw, int cpu, void (*fn)(void *), void *arg)
{
	if (cpu == MC_CPU_CURRENT) {
		fn(arg);
		return 0;
	}
	if (!hw->ops.on_cpu)
		return cpu == 0 ? (fn(arg), 0) : MC_PLAT_ENOSYS;
	return hw->ops.on_cpu(hw->ops.arg, cpu, fn, arg);
}

struct cpuid_call { u32 leaf, sub; struct cpuid_regs *out; };
static void do_cpuid(void *a)
{
	struct cpuid_call *c = a;
	x86_cpuid(c->leaf, c->sub, c->out);
}

static void hw_cpuid(void *ctx, int cpu, u32 leaf, u32 sub, struct cpuid_regs *out)
{
	struct cpuid_call c = { leaf, sub, out };
	if (run_on(ctx, cpu, do_cpuid, &c))
		*out = (struct cpuid_regs){ 0, 0, 0, 0 };
}

struct msr_call { u32 msr; u64 val; int fault; };
static void do_rdmsr(void *a)
{
	struct msr_call *c = a;
	c->fault = x86_rdmsr_safe(c->msr, &c->val);
}
static void do_wrmsr(void *a)
{
	struct msr_call *c = a;
	c->fault = x86_wrmsr_safe(c->msr, c->val);
}

static int hw_rdmsr(void *ctx, int cpu, u32 msr, u64 *val)
{
	struct msr_call c = { msr, 0, 0 };
	int r = run_on(ctx, cpu, do_rdmsr, &c);
	if (r)
		return r;
	*val = c.val;
	return c.fault;
}

static int hw_wrmsr(void *ctx, int cpu, u32 msr, u64 val)
{
	struct msr_call c = { msr, val, 0 };
	int r = run_on(ctx, cpu, do_wrmsr, &c);
	return r ? r : c.fault;
}

struct pconfig_call { u32 leaf; const void *s; u64 rax; bool zf; int fault; };
static void do_pconfig(void *a)
{
	struct pconfig_call *c = a;
	c->fault = x86_pconfig_safe(c->leaf, c->s, &c->rax, &c->zf);
}

static int hw_pconfig(void *ctx, int cpu, u32 leaf, const void *s, u64 *rax, bool *zf)
{
	struct pconfig_call c = { leaf, s, 0, false, 0 };
	int r = run_on(ctx, cpu, do_pconfig, &c);
	if (r)
		return r;
	if (!c.fault) {
		*rax = c.rax;
		*zf = c.zf;
	}
	return c.fault;
}

static int hw_mem_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	struct hw_platform *hw = ctx;
	return hw->ops.mem_write ? hw->ops.mem_write(hw->ops.arg, pa, buf, len) : MC_PLAT_ENOSYS;
}

static int hw_mem_read(void *ctx, u64 pa, void *buf, size_t len)
{
	struct hw_platform *hw = ctx;
	return hw->ops.mem_read ? hw->ops.mem_read(hw->ops.arg, pa, buf, len) : MC_PLAT_ENOSYS;
}

static int hw_mem_raw_read(void *ctx, u64 pa, void *buf, size_t len)
{
	struct hw_platform *hw = ctx;
	return hw->ops.mem_raw_read ? hw->ops.mem_raw_read(hw->ops.arg, pa, buf, len) : MC_PLAT_ENOSYS;
}

/* With identity-mapped memory the physical address (KeyID bits stripped by
 * the front-end's mapping) is the linear one. */
static void hw_clflush(void *ctx, u64 pa)
{
	struct hw_platform *hw = ctx;
	if (hw->ops.clflush) {
		hw->ops.clflush(hw->ops.arg, pa);
		return;
	}
	clflush((const volatile void *)(uintptr_t)pa);
	mfence();
}

static void hw_wbinvd(void *ctx)
{
	wbinvd();
}

static int hw_rng(void *ctx, u64 *val)
{
	return x86_rdrand64(val) ? 0 : MC_PLAT_ENOSYS;
}

static int hw_on_cpu(void *ctx, int cpu, void (*fn)(void *), void *arg)
{
	return run_on(ctx, cpu, fn, arg);
}

void hw_platform_init(struct hw_platform *hw, const struct hw_platform_ops *ops, struct mc_platform *out)
{
	hw->ops = *ops;
	*out = (struct mc_platform){
		.name = "hw",
		.ctx = hw,
		.cpu_count = hw_cpu_count,
		.package_of = hw_package_of,
		.cpuid = hw_cpuid,
		.rdmsr = hw_rdmsr,
		.wrmsr = hw_wrmsr,
		.pconfig = hw_pconfig,
		.mem_write = hw_mem_write,
		.mem_read = hw_mem_read,
		.mem_raw_read = hw_mem_raw_read,
		.clflush = hw_clflush,
		.wbinvd = hw_wbinvd,
		.rng = hw_rng,
		.on_cpu = hw_on_cpu,
	};
}
