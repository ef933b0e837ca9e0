/* The model on every CPU: the stage's model state, attached with this
 * binary's model code, behind a platform whose per-CPU operations run on
 * the real CPU of the same number (kernel/smp.c on_cpu) when it is up, else
 * on this CPU as that model CPU. The model's memory engine, MSRs and RNG
 * are one shared state, entered under one lock; PCONFIG is not under it:
 * the model's own KEY_TABLE_LOCK (lib/model/pconfig.c, Intel seed 6.2.4)
 * is what CPUs running it at once contend on. */
#include "kernel/platform_smp.h"
#include "kernel/smp.h"
#include "lib/model/model.h"

static struct mc_platform raw;
static kspin_t model_lock;
static volatile int last_pconfig_real = -1, last_pconfig_model = -1;

/* The model CPU this code runs as. */
static int current(void)
{
	int m = smp_model_cpu();
	return m >= 0 ? m : smp_this_cpu();
}

static int resolve(int cpu)
{
	return cpu == MC_CPU_CURRENT ? current() : cpu;
}

/* Is model CPU cpu carried by a real CPU of its own? */
static bool real(int cpu)
{
	return smp_cpu_up(cpu);
}

/* Run fn on the real CPU of model CPU cpu, or here as that model CPU. */
static int run_as(int cpu, void (*fn)(void *), void *arg)
{
	if (real(cpu) && cpu != smp_this_cpu())
		return on_cpu(cpu, fn, arg);
	int prev = smp_model_cpu();
	smp_set_model_cpu(real(cpu) ? -1 : cpu);
	fn(arg);
	smp_set_model_cpu(prev);
	return 0;
}

struct call {
	int op, cpu;
	u32 a, b;
	u64 val;
	const void *s;
	struct cpuid_regs *r;
	u64 rax;
	bool zf;
	int ret;
};
enum { OP_CPUID, OP_RDMSR, OP_WRMSR, OP_PCONFIG };

static void do_call(void *arg)
{
	struct call *c = arg;
	if (c->op == OP_PCONFIG) {
		c->ret = raw.pconfig(raw.ctx, c->cpu, c->a, c->s, &c->rax, &c->zf);
		last_pconfig_real = smp_this_cpu();
		last_pconfig_model = c->cpu;
		return;
	}
	kspin_lock(&model_lock);
	if (c->op == OP_CPUID)
		raw.cpuid(raw.ctx, c->cpu, c->a, c->b, c->r);
	else if (c->op == OP_RDMSR)
		c->ret = raw.rdmsr(raw.ctx, c->cpu, c->a, &c->val);
	else
		c->ret = raw.wrmsr(raw.ctx, c->cpu, c->a, c->val);
	kspin_unlock(&model_lock);
}

static int call_on(struct call *c)
{
	c->cpu = resolve(c->cpu);
	if (c->cpu < 0 || c->cpu >= raw.cpu_count(raw.ctx))
		return MC_PLAT_ENOSYS;
	int r = run_as(c->cpu, do_call, c);
	return r ? r : c->ret;
}

static int w_cpu_count(void *ctx) { return raw.cpu_count(raw.ctx); }
static int w_package_of(void *ctx, int cpu) { return raw.package_of(raw.ctx, resolve(cpu)); }

static void w_cpuid(void *ctx, int cpu, u32 leaf, u32 sub, struct cpuid_regs *out)
{
	struct call c = { .op = OP_CPUID, .cpu = cpu, .a = leaf, .b = sub, .r = out };
	if (call_on(&c))
		*out = (struct cpuid_regs){ 0, 0, 0, 0 };
}

static int w_rdmsr(void *ctx, int cpu, u32 msr, u64 *val)
{
	struct call c = { .op = OP_RDMSR, .cpu = cpu, .a = msr };
	int r = call_on(&c);
	if (!r)
		*val = c.val;
	return r;
}

static int w_wrmsr(void *ctx, int cpu, u32 msr, u64 val)
{
	struct call c = { .op = OP_WRMSR, .cpu = cpu, .a = msr, .val = val };
	return call_on(&c);
}

static int w_pconfig(void *ctx, int cpu, u32 leaf, const void *s, u64 *rax, bool *zf)
{
	struct call c = { .op = OP_PCONFIG, .cpu = cpu, .a = leaf, .s = s };
	int r = call_on(&c);
	if (!r) {
		*rax = c.rax;
		*zf = c.zf;
	}
	return r;
}

#define LOCKED(expr) do { kspin_lock(&model_lock); expr; kspin_unlock(&model_lock); } while (0)

static int w_mem_write(void *ctx, u64 pa, const void *b, size_t n) { int r; LOCKED(r = raw.mem_write(raw.ctx, pa, b, n)); return r; }
static int w_mem_read(void *ctx, u64 pa, void *b, size_t n) { int r; LOCKED(r = raw.mem_read(raw.ctx, pa, b, n)); return r; }
static int w_mem_raw(void *ctx, u64 pa, void *b, size_t n) { int r; LOCKED(r = raw.mem_raw_read(raw.ctx, pa, b, n)); return r; }
static void w_clflush(void *ctx, u64 pa) { LOCKED(raw.clflush(raw.ctx, pa)); }
static int w_rng(void *ctx, u64 *v) { int r; LOCKED(r = raw.rng(raw.ctx, v)); return r; }

/* WBINVD as the model CPU this runs as: the model counts which package
 * executed it (lib/model: mc_model_wbinvd_on). */
static void w_wbinvd(void *ctx)
{
	LOCKED(mc_model_wbinvd_on(raw.ctx, (u32)current()));
}

static int w_on_cpu(void *ctx, int cpu, void (*fn)(void *), void *arg)
{
	cpu = resolve(cpu);
	if (cpu < 0 || cpu >= raw.cpu_count(raw.ctx))
		return MC_PLAT_ENOSYS;
	return run_as(cpu, fn, arg);
}

int kmodel_attach(struct kernel_ctx *k)
{
	struct mc_handoff *h = k->handoff;
	if (mc_model_attach((void *)(uintptr_t)h->model_state, h->model_size, &raw))
		return -1;
	k->plat = raw;
	k->plat.cpu_count = w_cpu_count;
	k->plat.package_of = w_package_of;
	k->plat.cpuid = w_cpuid;
	k->plat.rdmsr = w_rdmsr;
	k->plat.wrmsr = w_wrmsr;
	k->plat.pconfig = w_pconfig;
	k->plat.mem_write = w_mem_write;
	k->plat.mem_read = w_mem_read;
	k->plat.mem_raw_read = w_mem_raw;
	k->plat.clflush = w_clflush;
	k->plat.wbinvd = w_wbinvd;
	k->plat.rng = w_rng;
	k->plat.on_cpu = w_on_cpu;
	return 0;
}

void *kmodel_state(void)
{
	return raw.ctx;
}

void kmodel_last_pconfig(int *real_cpu, int *model_cpu)
{
	*real_cpu = last_pconfig_real;
	*model_cpu = last_pconfig_model;
}

/* smp.model_map: the profile's package map against the machine's. */
void kmodel_report_map(struct kernel_ctx *k)
{
	int m = raw.cpu_count(raw.ctx), r = smp_cpu_count(), both = m < r ? m : r, differ = -1, on_own = 0;
	int mp = 0;
	for (int c = 0; c < m; c++)
		if (raw.package_of(raw.ctx, c) + 1 > mp)
			mp = raw.package_of(raw.ctx, c) + 1;
	for (int c = 0; c < both; c++) {
		on_own += smp_cpu_up(c);
		if (smp_cpu_up(c) && raw.package_of(raw.ctx, c) != package_of(c) && differ < 0)
			differ = c;
	}
	if (differ < 0 && mp == smp_packages() && m == r)
		mc_report(k->res, MC_PASS, "smp.model_map", "model CPUs 0-%d in %d package(s) run on real CPUs 0-%d, and the profile's package map equals the machine's (CPUID topology)",
			  m - 1, mp, r - 1);
	else if (differ >= 0)
		mc_report(k->res, MC_INFO, "smp.model_map", "profile: %d CPUs in %d package(s); machine: %d CPUs in %d package(s); %d model CPU(s) run on their own real CPU, the rest on the boot CPU; model CPU %d's package (%d) differs from its real CPU's (%d)",
			  m, mp, r, smp_packages(), on_own, differ, raw.package_of(raw.ctx, differ), package_of(differ));
	else
		mc_report(k->res, MC_INFO, "smp.model_map", "profile: %d CPUs in %d package(s); machine: %d CPUs in %d package(s); %d model CPU(s) run on their own real CPU (same package there), the rest on the boot CPU",
			  m, mp, r, smp_packages(), on_own);
}

void kmodel_report_dram(struct kernel_ctx *k)
{
	struct mc_model_info mi;
	if (!k->on_model || mc_model_info(raw.ctx, &mi))
		return;
	if (mi.dram_sparse)
		mc_report(k->res, MC_INFO, "kernel.model_dram", "memory map %llu GiB in %u package(s), modelled sparse: "
			  "%u pages (%u KiB) written and stored (pool %llu MiB); unwritten pages read as zeros; "
			  "the machine's own RAM is boot.memory",
			  (unsigned long long)(mi.dram_size >> 30), mi.packages, mi.dram_pages_stored,
			  mi.dram_pages_stored * 4, (unsigned long long)(mi.dram_stored_max >> 20));
	else
		mc_report(k->res, MC_INFO, "kernel.model_dram", "memory map %llu MiB in %u package(s), stored whole in the "
			  "model's state; the machine's own RAM is boot.memory",
			  (unsigned long long)(mi.dram_size >> 20), mi.packages);
}
