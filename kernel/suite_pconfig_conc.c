/* pconfig.concurrency (Intel seed 6.2.4): "only one logical processor will
 * succeed in updating the key table ... DEVICE_BUSY on other logical
 * processors and software must retry ... either the key table is updated
 * in its entirety with the information for a KeyID, or it is not updated
 * at all." All CPUs of a package that run on real CPUs of their own issue
 * MKTME_KEY_PROGRAM for the same KeyID at the same moment, each with its own
 * key, for 20 ms a round, round after round: every answer must be PROG_SUCCESS or DEVICE_BUSY,
 * DEVICE_BUSY is retried within a bound, and after each round the entry is
 * exactly one caller's whole key -- on the model checked by the ciphertext
 * it produces (software AES-XTS of a page written through the KeyID, one
 * match among the callers' keys, never none: no mix). On the model
 * DEVICE_BUSY must be seen (its KEY_TABLE_LOCK is a real lock held while
 * the entry is written); on hardware its count is INFO. */
#include "kernel/ksuite.h"
#include "kernel/smp.h"
#include "kernel/delay.h"
#include "arch/x86/cpu.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define KEYID        2
#define MAX_CALLERS  64
#define MIN_ROUNDS   8
#define MAX_ROUNDS   64
#define ROUND_MS     20         /* each caller programs until then, every round */
#define MAX_CALLS    100000
#define TRY_BOUND    200000     /* DEVICE_BUSY retries for one call (a holder the host deschedules costs thousands) */
#define PAGE         4096
#define TPAGE        7

struct caller {
	struct conc *c;
	int cpu;
	u8 *s;                      /* its own 256-byte aligned struct page */
	u8 key[64];
	u32 ok, busy, other, worst, over_bound;
	u64 other_status;
	int fault;
	u32 go;                     /* the round it waits for */
};

struct conc {
	struct kmk *m;
	u32 alg;
	size_t half;
	volatile u32 start;         /* round number released */
	volatile u32 ready;         /* callers waiting at the gate */
	volatile u64 deadline;      /* TSC: the round's end */
	int n;
	struct caller who[MAX_CALLERS];
	u8 plain[PAGE], raw[PAGE];
};

static void caller_round(void *arg)
{
	struct caller *w = arg;
	struct conc *c = w->c;
	const struct mc_platform *p = c->m->p;
	/* Calls until the round's deadline, not a fixed count: a vCPU the
	 * host schedules late (TCG on a loaded host) still overlaps with the
	 * others for most of the round. */
	for (u32 call = 0; call < MAX_CALLS && (!call || kbefore(c->deadline)); call++) {
		u32 tries = 0;
		for (;;) {
			u64 rax = 0;
			bool zf = false;
			mktme_prog_build((void *)w->s, KEYID, MKTME_KEYID_SET_KEY_DIRECT, c->alg, w->key, w->key + c->half);
			int f = p->pconfig(p->ctx, MC_CPU_CURRENT, PCONFIG_LEAF_MKTME_KEY_PROGRAM, w->s, &rax, &zf);
			tries++;
			if (f) {
				w->fault = f;
				return;
			}
			if (rax == MKTME_PROG_SUCCESS) {
				w->ok++;
				break;
			}
			if (rax != MKTME_DEVICE_BUSY) {
				w->other++;
				w->other_status = rax;
				break;
			}
			w->busy++;
			if (tries >= TRY_BOUND) {
				w->over_bound++;
				break;
			}
		}
		if (tries > w->worst)
			w->worst = tries;
	}
	mc_wipe(w->s, 256);
}

/* Everyone waits for the release, then runs its round. */
static void gated(void *arg)
{
	struct caller *w = arg;
	__atomic_add_fetch(&w->c->ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&w->c->start, __ATOMIC_ACQUIRE) < w->go)
		__asm__ __volatile__("pause");
	caller_round(w);
}

/* Which callers' keys reproduce the entry's ciphertext (model). */
static int matches(struct conc *c, u32 pkg)
{
	const struct mc_platform *p = c->m->p;
	u64 upa = ktest_page_pkg(c->m->k, pkg, TPAGE), pa = kmk_pa(c->m, upa, KEYID);
	if (p->mem_write(p->ctx, pa, c->plain, PAGE))
		return -1;
	kflush(p, pa, PAGE);
	if (p->mem_raw_read(p->ctx, upa, c->raw, PAGE))
		return -1;
	int n = 0;
	for (int i = 0; i < c->n; i++)
		n += ksuite_model_stored_under(c->m->k, c->who[i].key, 2 * c->half, upa, c->plain, c->raw, PAGE);
	return n;
}

/* One package; its line in text (reported by the caller). false on a
 * FAIL (reported here). */
static bool one_package(struct conc *c, u32 pkg, char *text, size_t size, size_t *len, u32 *busy_all, bool *ran)
{
	struct kmk *m = c->m;
	char cpus[120];
	size_t cl = 0;
	c->n = 0;
	cpus[0] = 0;
	for (int cpu = 0; cpu < m->f->cpus && c->n < MAX_CALLERS; cpu++) {
		if (m->p->package_of(m->p->ctx, cpu) != (int)pkg || !smp_cpu_up(cpu))
			continue;
		struct caller *w = &c->who[c->n];
		static u8 *pages[SMP_MAX_CPUS];
		if (!pages[cpu])
			pages[cpu] = kalloc_pages(1);
		if (!pages[cpu])
			return false;
		*w = (struct caller){ .c = c, .cpu = cpu, .s = pages[cpu] };
		if (!ksuite_random_key(m->p, w->key, 2 * c->half))
			return false;
		if (cl + 8 < sizeof(cpus))
			cl += (size_t)mc_snprintf(cpus + cl, sizeof(cpus) - cl, "%s%d", c->n ? "," : "", cpu);
		c->n++;
	}
	if (c->n < 2) {
		*len += (size_t)mc_snprintf(text + *len, size - *len, "package %u: %d CPU(s) on real CPUs of their own, no two PCONFIGs at once there",
					    pkg, c->n);
		return true;
	}
	*ran = true;
	u32 rounds = 0, mixed = 0, none = 0, lost = 0, busy = 0;
	int me = smp_this_cpu(), self_i = -1;
	while (rounds < MAX_ROUNDS && (rounds < MIN_ROUNDS || (!busy && m->k->on_model))) {
		u32 go = c->start + 1, posted = 0;
		c->ready = 0;
		for (int i = 0; i < c->n; i++) {
			c->who[i].go = go;
			if (c->who[i].cpu == me)
				self_i = i;
			else if (smp_post(c->who[i].cpu, gated, &c->who[i]))
				lost++;
			else
				posted++;
		}
		/* Release only when every posted caller is at the gate (an AP
		 * woken from HLT by the IPI takes a while under TCG), so all
		 * of them, this CPU too, issue their PCONFIGs at once. */
		u64 gate_end = rdtsc() + kms_to_tsc(1000);
		while (__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE) < posted && kbefore(gate_end))
			__asm__ __volatile__("pause");
		c->deadline = rdtsc() + kms_to_tsc(ROUND_MS);
		__atomic_add_fetch(&c->start, 1, __ATOMIC_RELEASE);
		if (self_i >= 0)
			caller_round(&c->who[self_i]);
		for (int i = 0; i < c->n; i++)
			if (c->who[i].cpu != me && smp_wait(c->who[i].cpu))
				lost++;
		rounds++;
		busy = 0;
		for (int i = 0; i < c->n; i++)
			busy += c->who[i].busy;
		if (lost)
			break;
		if (m->k->on_model) {
			int k = matches(c, pkg);
			mixed += k > 1;      /* two callers' keys cannot both fit: harness bug */
			none += k == 0;      /* a mix, or a torn entry */
		}
	}
	u32 ok = 0, other = 0, worst = 0, over = 0;
	int fault = 0;
	u64 other_status = 0;
	for (int i = 0; i < c->n; i++) {
		struct caller *w = &c->who[i];
		ok += w->ok, other += w->other, over += w->over_bound;
		worst = w->worst > worst ? w->worst : worst;
		if (w->other)
			other_status = w->other_status;
		if (w->fault)
			fault = w->fault;
	}
	*busy_all = busy;
	if (fault || other || over || lost || none || mixed) {
		mc_report(m->k->res, MC_FAIL, "pconfig.concurrency",
			  "package %u (CPUs %s): %s%s%u other answer(s) (RAX=%llu), %u past %d retries, %u CPU(s) lost, %u entr(ies) matching no caller's key (a mix), %u more than one",
			  pkg, cpus, fault ? mc_fault_name(fault) : "", fault ? " raised, " : "", other, (unsigned long long)other_status,
			  over, TRY_BOUND, lost, none, mixed);
		return false;
	}
	*len += (size_t)mc_snprintf(text + *len, size - *len,
				    "package %u (CPUs %s): %u rounds of %d ms: %u PROG_SUCCESS, %u DEVICE_BUSY retried (worst %u tries, bound %d), none other%s",
				    pkg, cpus, rounds, ROUND_MS, ok, busy, worst, TRY_BOUND,
				    m->k->on_model ? "; each round's entry is one caller's whole key" : "");
	return true;
}

/* Negative control (model): the entry a torn write would leave -- caller
 * 0's data key with caller 1's tweak key, programmed on purpose -- matches
 * no caller's key, so the check above can fail. */
static void negative(struct conc *c, u32 pkg)
{
	struct kmk *m = c->m;
	u8 mixed[64];
	struct kpc_result r;
	if (!m->k->on_model || c->n < 2)
		return;
	mc_memcpy(mixed, c->who[0].key, c->half);
	mc_memcpy(mixed + c->half, c->who[1].key + c->half, c->half);
	kpc_program(m, KEYID, MKTME_KEYID_SET_KEY_DIRECT, c->alg, mixed, mixed + c->half, &r);
	int k = kpc_ok(&r) ? matches(c, pkg) : -1;
	mc_wipe(mixed, sizeof(mixed));
	mc_report_check(m->k->res, k == 0, "pconfig.concurrency_negative",
			"a test that the check can fail: an entry with CPU %d's data key and CPU %d's tweak key (a torn write) matches %d of %d callers' keys (expected 0)",
			c->who[0].cpu, c->who[1].cpu, k, c->n);
}

void suite_pconfig_concurrency(struct kmk *m);
void suite_pconfig_concurrency(struct kmk *m)
{
	static struct conc c;
	static char text[200];
	size_t len = 0;
	u32 busy = 0, busy_hw = 0;
	bool ran = false, neg_done = false;

	if (m->nkeyids < KEYID) {
		mc_report(m->k->res, MC_SKIP, "pconfig.concurrency", "KeyID %d not usable (%u KeyIDs)", KEYID, m->nkeyids);
		return;
	}
	mc_memset(&c, 0, sizeof(c));
	c.m = m;
	c.alg = m->algs[0];
	c.half = mktme_key_half(c.alg);
	ksuite_pattern(c.plain, PAGE, 13);
	for (u32 pkg = 0; pkg < kpc_packages(m); pkg++) {
		bool ran_here = false;
		for (int i = 0; i < MAX_CALLERS; i++)      /* the last package's keys */
			mc_wipe(c.who[i].key, sizeof(c.who[i].key));
		busy = 0;
		len = 0;
		text[0] = 0;
		if (!one_package(&c, pkg, text, sizeof(text), &len, &busy, &ran_here))
			continue;
		if (!ran_here) {
			mc_report(m->k->res, MC_INFO, "pconfig.concurrency", "%s", text);
			continue;
		}
		ran = true;
		busy_hw += busy;
		mc_report(m->k->res, !m->k->on_model || busy ? MC_PASS : MC_FAIL, "pconfig.concurrency", "%s%s", text,
			  !m->k->on_model || busy ? "" : "; no DEVICE_BUSY: the model's KEY_TABLE_LOCK was never contended");
		if (!neg_done) {
			negative(&c, pkg);
			neg_done = true;
		}
	}
	for (int i = 0; i < MAX_CALLERS; i++)
		mc_wipe(c.who[i].key, sizeof(c.who[i].key));
	struct kpc_result r;
	kpc_program(m, KEYID, MKTME_KEYID_CLEAR_KEY, c.alg, NULL, NULL, &r);
	if (!ran)
		mc_report(m->k->res, MC_SKIP, "pconfig.concurrency", "no package has two CPUs on real CPUs of their own: no two PCONFIGs can run at once");
	else if (!m->k->on_model)
		mc_report(m->k->res, MC_INFO, "pconfig.concurrency_busy", "hardware answered DEVICE_BUSY %u time(s) (seed 6.2.4)", busy_hw);
}
