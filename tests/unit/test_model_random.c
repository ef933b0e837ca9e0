/* Randomized check of the model's IA32_TME_ACTIVATE and PCONFIG rules
 * against a second, deliberately simple reference written here from the
 * Intel seed (Table 4-3, 6.2.5), compared over thousands of random
 * operations. The reference shares no code with lib/model. */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include "tests/unit/test_rng.h"
#include <string.h>

/* Reference platform: CAPABILITY 000003f680000005 (128, 256, bypass, 6
 * bits, 63 keys); faults as flags. */
struct ref {
	u64 act;
	bool rng_fail, restore_fail;
	u32 busy;
};

enum { R_OK = 0, R_GP = 13 };

static int ref_wrmsr_activate(struct ref *r, u64 v)
{
	u64 bits = (v >> 32) & 0xf;
	u64 pol = (v >> 4) & 0xf;
	if (r->act & 1) return R_GP;
	if (v & 0x0000fff07fffff00ULL) return R_GP;        /* 30:8, 47:36 */
	if (pol != 0 && pol != 2) return R_GP;
	if (bits > 6) return R_GP;
	if (bits && !(v & 2)) return R_GP;
	if (v & 0xfffa000000000000ULL) return R_GP;        /* 49, 63:51 */
	v &= ~1ULL;
	if (!(v & 2)) { r->act = v | 1; return R_OK; }
	bool fail = (v & 4) ? r->restore_fail : r->rng_fail;
	if (!fail) { r->act = v | 1; return R_OK; }
	if (bits) r->act = (r->act & ~7ULL) | (v & 4);
	else r->act = (v & ~7ULL) | (v & 4);
	return R_OK;
}

static int ref_pconfig(struct ref *r, u32 leaf, const struct mktme_key_program *k, u32 mis, u64 *rax)
{
	u32 cmd = k->keyid_ctrl & 0xff, alg = (k->keyid_ctrl >> 8) & 0xffff;
	u32 bits = (r->act >> 32) & 0xf;
	if (leaf) return R_GP;
	if ((r->act & 3) != 3 || !bits) return R_GP;
	if (mis) return R_GP;
	for (int i = 0; i < 58; i++) if (k->rsvd[i]) return R_GP;
	if (k->keyid_ctrl >> 24) return R_GP;
	int lim = (alg & 1) ? 16 : (alg & 4) ? 32 : 64;
	if (alg & 5)
		for (int i = lim; i < 64; i++)
			if (k->key_field_1[i] || k->key_field_2[i]) return R_GP;
	if (cmd > 3) { *rax = 1; return R_OK; }
	if (k->keyid == 0 || k->keyid > (1u << bits) - 1 || k->keyid > 63) { *rax = 3; return R_OK; }
	int n = 0;
	for (int i = 0; i < 16; i++) n += (alg >> i) & 1;
	if (n != 1 || !((r->act >> 48) & alg)) { *rax = 4; return R_OK; }
	if (r->busy) { r->busy--; *rax = 5; return R_OK; }
	*rax = 0;
	return R_OK;
}

static u64 rnd_state;
static u64 rnd(void)
{
	return test_xorshift64(&rnd_state);
}

/* Mostly plausible values with a few random bits, so every row is hit. */
static u64 random_activate(void)
{
	u64 v = rnd() & 0xf;
	v |= (u64)((rnd() % 4 == 0) ? rnd() % 16 : (rnd() % 2) * 2) << 4;
	v |= (rnd() % 4 == 0) ? (1ULL << 31) : 0;
	v |= (u64)(rnd() % 8) << 32;
	v |= (u64)(rnd() % 8) << 48;
	if (rnd() % 6 == 0)
		v |= 1ULL << (rnd() % 64);
	return v;
}

static void random_pconfig(struct mktme_key_program *k, u32 *leaf, u32 *mis)
{
	memset(k, 0, sizeof(*k));
	k->keyid = (u16)((rnd() % 5 == 0) ? rnd() : rnd() % 70);
	u32 cmd = (rnd() % 8 == 0) ? (u32)(rnd() & 0xff) : (u32)(rnd() % 4);
	u32 alg = (rnd() % 6 == 0) ? (u32)(rnd() & 0xffff) : (rnd() % 2 ? 1 : 4);
	k->keyid_ctrl = cmd | alg << 8;
	if (rnd() % 20 == 0) k->keyid_ctrl |= 1u << (24 + rnd() % 8);
	if (rnd() % 20 == 0) k->rsvd[rnd() % 58] = 1;
	for (int i = 0; i < 16; i++) k->key_field_1[i] = (u8)rnd(), k->key_field_2[i] = (u8)rnd();
	if (rnd() % 8 == 0) k->key_field_1[16 + rnd() % 48] = 1;
	if (rnd() % 8 == 0) k->key_field_2[16 + rnd() % 48] = 1;
	*leaf = rnd() % 20 == 0 ? (u32)rnd() : 0;
	*mis = rnd() % 15 == 0 ? (u32)(rnd() % 256) : 0;
}

TEST(model, randomized_reference)
{
	static const char *faults[] = { "", "fault rng-fail\n", "fault restore-fail\n", "fault pconfig-busy 3\n" };
	int ops = 0, mismatches = 0;
	char first[200] = "";

	rnd_state = 0x243f6a8885a308d3ULL;
	for (int trial = 0; trial < 240; trial++) {
		struct tm m;
		struct ref r = { 0 };
		int fi = trial % 4;
		char extra[64];
		snprintf(extra, sizeof(extra), "memory 64K\n%s", faults[fi]);
		if (!tm_boot(&m, tm_icelake, extra, (u64)trial))
			return;
		r.rng_fail = fi == 1;
		r.restore_fail = fi == 2;
		r.busy = fi == 3 ? 3 : 0;
		for (int step = 0; step < 24; step++, ops++) {
			char what[200];
			bool same;
			if (step < 6 || rnd() % 3 == 0) {
				u64 v = random_activate(), got;
				int f = tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, v);
				int rf = ref_wrmsr_activate(&r, v);
				tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &got);
				same = f == rf && got == r.act;
				snprintf(what, sizeof(what), "trial %d WRMSR 982H 0x%016llx: model %d/0x%llx, reference %d/0x%llx",
					 trial, (unsigned long long)v, f, (unsigned long long)got, rf, (unsigned long long)r.act);
			} else {
				struct mktme_key_program k;
				struct tm_pc p;
				u32 leaf, mis;
				u64 rax = 0, rrax = 0;
				bool zf;
				random_pconfig(&k, &leaf, &mis);
				memset(&p, 0, sizeof(p));
				p.keyid = k.keyid;
				p.ctrl = k.keyid_ctrl;
				p.rsvd_byte = 0;
				memcpy(p.key1, k.key_field_1, 64);
				memcpy(p.key2, k.key_field_2, 64);
				p.leaf = leaf;
				p.misalign = mis;
				for (int i = 0; i < 58; i++)
					if (k.rsvd[i]) p.rsvd_byte = 1, k.rsvd[i] = 0, k.rsvd[0] = 1;
				int f = tm_pconfig(&m, &p, &rax, &zf);
				int rf = ref_pconfig(&r, leaf, &k, mis, &rrax);
				same = f == rf && (f || (rax == rrax && zf == (rrax != 0)));
				snprintf(what, sizeof(what), "trial %d PCONFIG keyid %u ctrl 0x%08x leaf %u +%u: model %d/%llu, reference %d/%llu",
					 trial, k.keyid, k.keyid_ctrl, leaf, mis, f, (unsigned long long)rax, rf,
					 (unsigned long long)rrax);
			}
			if (rnd() % 40 == 0) {
				mc_model_smi(m.state);
				r.act |= 1;
			}
			if (!same && !mismatches++)
				snprintf(first, sizeof(first), "%s", what);
		}
		tm_free(&m);
	}
	EXPECT(ops >= 5000 && mismatches == 0,
	       "randomized: model and an independent reference agree on %d random ACTIVATE/PCONFIG operations "
	       "(%d mismatches%s%s)", ops, mismatches, mismatches ? "; first: " : "", first);
}
