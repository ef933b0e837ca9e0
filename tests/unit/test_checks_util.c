/* Helpers for the check-library tests (tests/unit/test_checks.h). */
#include "tests/unit/test_checks.h"
#include "tests/unit/harness.h"
#include <stdlib.h>
#include <string.h>

const struct intel_prof INTEL_LOCKED = {
	.max_basic = 0x1b, .leaf7_ecx = 1u << 13, .leaf7_edx = 1u << 18, .l1b_eax = 1, .l1b_ebx = 1,
	.phys = 46,
	/* AES-XTS-128 and -256, bypass supported, 6 KeyID bits, 63 keys */
	.cap = "0x000003f680000005",
	/* locked, enabled, policy AES-XTS-128, 6 KeyID bits, algs 128 */
	.act = "0x0001000600000003",
	.mask = "0", .base = "0", .core = "0x600000000", .cpus = 4, .packages = 1,
};

const struct amd_prof AMD_SME_ON = {
	.max_basic = 0xd, .max_ext = 0x8000001f,
	.eax = 0x0f,                       /* SME SEV flush SEV-ES */
	.ebx = 47 | (5 << 6),              /* C-bit 47, reduction 5 */
	.ecx = 509, .edx = 100, .phys = 48,
	.syscfg = "0x840000", .cpus = 2,
};

static char text[4096];

const char *intel_text(const struct intel_prof *p)
{
	int n = snprintf(text, sizeof(text),
		"cpus %d\npackages %d\n"
		"cpuid 0 0 0x%x 0x756e6547 0x6c65746e 0x49656e69\n"
		"cpuid 1 0 0x606a6 0 0x%x 0\n"
		"cpuid 7 0 0 0 0x%x 0x%x\n"
		"cpuid 0x1b 0 0x%x 0x%x 0 0\n"
		"cpuid 0x80000000 0 0x80000008 0 0 0\n"
		"cpuid 0x80000008 0 0x%x 0 0 0\n",
		p->cpus, p->packages ? p->packages : 1, p->max_basic, p->leaf1_ecx,
		p->leaf7_ecx, p->leaf7_edx, p->l1b_eax, p->l1b_ebx, 0x3000 | p->phys);
	const char *names[] = { "0x981", "0x982", "0x983", "0x984", "0x9ff" };
	const char *vals[] = { p->cap, p->act, p->mask, p->base, p->core };
	for (int i = 0; i < 5; i++)
		if (vals[i])
			n += snprintf(text + n, sizeof(text) - (size_t)n, "msr %s %s\n", names[i], vals[i]);
	if (p->extra)
		snprintf(text + n, sizeof(text) - (size_t)n, "%s\n", p->extra);
	return text;
}

const char *amd_text(const struct amd_prof *p)
{
	int n = snprintf(text, sizeof(text),
		"cpus %d\n"
		"cpuid 0 0 0x%x 0x68747541 0x444d4163 0x69746e65\n"
		"cpuid 1 0 0xa00f11 0 0x%x 0\n"
		"cpuid 0x80000000 0 0x%x 0 0 0\n"
		"cpuid 0x80000008 0 0x%x 0 0 0\n"
		"cpuid 0x8000001f 0 0x%x 0x%x 0x%x 0x%x\n",
		p->cpus, p->max_basic, p->leaf1_ecx, p->max_ext, 0x3000 | p->phys, p->eax, p->ebx, p->ecx, p->edx);
	if (p->syscfg)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "msr 0xc0010010 %s\n", p->syscfg);
	if (p->sev_status)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "msr 0xc0010131 %s\n", p->sev_status);
	if (p->extra)
		snprintf(text + n, sizeof(text) - (size_t)n, "%s\n", p->extra);
	return text;
}

/* ---- the shim platform: the model, with one CPU unreachable or one MSR
 * faulting, as a live machine can have (offline CPU, locked-down MSR) --- */
static int shim_cpu_count(void *ctx) { struct chk *c = ctx; return c->model.cpu_count(c->model.ctx); }
static int shim_package_of(void *ctx, int cpu) { struct chk *c = ctx; return c->model.package_of(c->model.ctx, cpu); }
static void shim_cpuid(void *ctx, int cpu, u32 l, u32 s, struct cpuid_regs *r)
{
	struct chk *c = ctx;
	c->model.cpuid(c->model.ctx, cpu, l, s, r);
	if (c->ovr_leaf && l == c->ovr_leaf)
		*r = c->ovr;
}
static int shim_rdmsr(void *ctx, int cpu, u32 msr, u64 *v)
{
	struct chk *c = ctx;
	if (c->unreachable_cpu >= 0 && cpu == c->unreachable_cpu)
		return MC_PLAT_ENOSYS;
	if (c->fault_msr && msr == c->fault_msr && (c->fault_cpu < 0 || cpu == c->fault_cpu))
		return X86_TRAP_GP;
	return c->model.rdmsr(c->model.ctx, cpu, msr, v);
}

struct chk *chk_new(const char *profile_text)
{
	static struct mc_profile prof;
	char err[200];
	if (mc_profile_parse(&prof, profile_text, strlen(profile_text), "test.prof", err, sizeof(err))) {
		EXPECT(false, "test profile parses (%s)", err);
		return NULL;
	}
	struct chk *c = calloc(1, sizeof(*c));
	size_t size = mc_model_state_size(&prof);
	c->state = malloc(size);
	if (!c->state || mc_model_init(c->state, size, &prof, 7, err, sizeof(err)) ||
	    mc_model_attach(c->state, size, &c->model)) {
		EXPECT(false, "model accepts the test profile (%s)", err);
		chk_free(c);
		return NULL;
	}
	c->unreachable_cpu = -1;
	c->fault_cpu = -1;
	/* Only what lib/checks uses: a check that reached for anything else
	 * would crash here and be noticed. */
	c->plat = (struct mc_platform){
		.name = "model+shim", .ctx = c, .cpu_count = shim_cpu_count,
		.package_of = shim_package_of, .cpuid = shim_cpuid, .rdmsr = shim_rdmsr,
	};
	return c;
}

void chk_free(struct chk *c)
{
	if (c)
		free(c->state);
	free(c);
}

void chk_run(struct chk *c, const struct mc_check_input *in)
{
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&c->res, MC_STAGE_HOST);
	mc_checks_run(&c->plat, in, &c->facts, &c->res);
}

const struct mc_result *chk_find(const struct chk *c, const char *id)
{
	for (u32 i = 0; i < c->res.count; i++)
		if (!strcmp(c->res.r[i].id, id))
			return &c->res.r[i];
	return NULL;
}

bool chk_expect(const struct chk *c, const char *id, enum mc_verdict v, const char *has, const char *why)
{
	const struct mc_result *r = c ? chk_find(c, id) : NULL;
	bool ok = r && r->verdict == v && (!has || strstr(r->detail, has));
	return EXPECT(ok, "%s: %s is %s%s%s (got %s: %s)", why, id, mc_verdict_name(v), has ? " mentioning " : "",
		      has ? has : "", r ? mc_verdict_name((enum mc_verdict)r->verdict) : "no result",
		      r ? r->detail : "-");
}

bool chk_row(size_t row, const char *profile_text, const char *id, enum mc_verdict v, const char *has,
	     const char *why)
{
	struct chk *c = chk_new(profile_text);
	if (!c)
		return EXPECT(false, "row %zu (%s): profile usable", row, why);
	chk_run(c, NULL);
	bool ok = chk_expect(c, id, v, has, why);
	chk_free(c);
	return ok;
}
