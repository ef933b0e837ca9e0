/* encrypt: what MKTME does to memory, shown through the platform's memory
 * port (Intel seed 2, 3, 6.2.1.1.2): a KeyID with a direct key stores
 * ciphertext; on the model that ciphertext is exactly software AES-XTS of
 * the plaintext under the model's documented tweak rule (lib/model/model.h
 * mc_model_tweak), checked with the kernel's own XTS; different KeyIDs and
 * different addresses give different ciphertext; the wrong KeyID does not
 * read the plaintext; KEYID_CLEAR_KEY gives TME behaviour back and
 * KEYID_NO_ENCRYPT stores plaintext (Table 6-5); bypass and the exclusion
 * range leave KeyID 0 in plaintext (seed 4.2). On hardware the raw view is a
 * NO_ENCRYPT alias after WBINVD (kernel/hw_mem.c) and the tweak is not
 * public (FACTS.md), so a few candidate conventions are tried and reported
 * as INFO. */
#include "kernel/ksuite.h"
#include "lib/crypto/xts.h"
#include "lib/model/model.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define SPAN 256                /* four 64-byte lines */
#define KEYID_A 1
#define KEYID_B 2

struct enc {
	struct kmk m;
	const struct mc_platform *p;
	u64 pa0, pa1;               /* two test pages, untagged */
	u8 pat[SPAN];
	u8 buf[SPAN], raw[SPAN], raw2[SPAN];
	int be;                     /* software XTS backend */
};

static int put(struct enc *e, u64 pa, u32 keyid, const u8 *data)
{
	u64 t = kmk_pa(&e->m, pa, keyid);
	int r = e->p->mem_write(e->p->ctx, t, data, SPAN);
	kflush(e->p, t, SPAN);      /* the line reaches DRAM now, not at some eviction */
	return r;
}

static int get(struct enc *e, u64 pa, u32 keyid, u8 *out)
{
	u64 t = kmk_pa(&e->m, pa, keyid);
	kflush(e->p, t, SPAN);      /* nothing cached under this KeyID: read DRAM */
	return e->p->mem_read(e->p->ctx, t, out, SPAN);
}

static int raw(struct enc *e, u64 pa, u8 *out)
{
	return e->p->mem_raw_read(e->p->ctx, pa, out, SPAN);
}

static bool program(struct enc *e, const char *id, u32 keyid, u32 cmd, u32 alg, const u8 *key)
{
	struct kpc_result r;
	char got[80];
	size_t half = mktme_key_half(alg);
	kpc_program(&e->m, (u16)keyid, cmd, alg, key, key ? key + half : NULL, &r);
	if (kpc_ok(&r))
		return true;
	mc_report(e->m.k->res, MC_FAIL, id, "%s with %s on KeyID %u: %s", mktme_cmd_name(cmd), mktme_alg_name(alg),
		  keyid, kpc_describe(&r, got, sizeof(got)));
	return false;
}

/* ---- tweak conventions ------------------------------------------------ */

struct tweak_conv {
	const char *name;
	u32 unit;                   /* bytes per XTS data unit */
	u32 shift;                  /* tweak = (pa >> shift) as 128-bit LE */
	bool tagged;                /* pa with its KeyID bits */
};
static const struct tweak_conv convs[] = {
	{ "64-byte unit, tweak = line PA (the model's rule)", 64, 0, false },
	{ "64-byte unit, tweak = PA>>6", 64, 6, false },
	{ "16-byte unit, tweak = PA", 16, 0, false },
	{ "16-byte unit, tweak = PA>>4", 16, 4, false },
	{ "64-byte unit, tweak = PA with KeyID bits", 64, 0, true },
};

/* Does XTS(key) of plain under convention c reproduce stored? */
static bool xts_matches(struct enc *e, const struct tweak_conv *c, const u8 *key, size_t keylen, u64 pa,
			u32 keyid, const u8 *plain, const u8 *stored, int *err)
{
	struct xts_ctx ctx;
	u8 tw[16], out[64];
	bool ok = true;

	*err = xts_init(&ctx, key, keylen, XTS_ENCRYPT, (enum xts_backend)e->be);
	if (*err)
		return false;
	for (u32 off = 0; ok && off < SPAN; off += c->unit) {
		u64 upa = c->tagged ? kmk_pa(&e->m, pa + off, keyid) : pa + off;
		if (c->shift)
			xts_tweak_from_seq(upa >> c->shift, tw);
		else
			mc_model_tweak(upa, tw);
		*err = xts_encrypt(&ctx, tw, plain + off, out, c->unit);
		ok = !*err && !mc_memcmp(out, stored + off, c->unit);
	}
	xts_wipe(&ctx);
	mc_wipe(out, sizeof(out));
	return ok;
}

/* Direct key on KeyID A: ciphertext in DRAM, the right plaintext back, and
 * (model) the very bytes of software AES-XTS. */
static void direct_key(struct enc *e, u32 alg, u8 *saved_raw)
{
	struct mc_results *res = e->m.k->res;
	size_t keylen = 2 * mktme_key_half(alg);
	u8 key[64];
	char id[40];
	int err;

	mc_snprintf(id, sizeof(id), "encrypt.direct_%s", alg == MKTME_AES_XTS_128 ? "xts128" : "xts256");
	if (!ksuite_random_key(e->p, key, keylen)) {
		mc_report(res, MC_FAIL, id, "platform RNG failed while making a key");
		return;
	}
	if (!program(e, id, KEYID_A, MKTME_KEYID_SET_KEY_DIRECT, alg, key))
		goto out;
	int w = put(e, e->pa0, KEYID_A, e->pat), r = raw(e, e->pa0, e->raw), g = get(e, e->pa0, KEYID_A, e->buf);
	if (w || r || g) {
		mc_report(res, MC_FAIL, id, "memory port: write %s, raw read %s, read %s", mc_fault_name(w), mc_fault_name(r),
			  mc_fault_name(g));
		goto out;
	}
	mc_report_check(res, mc_memcmp(e->raw, e->pat, SPAN) && !mc_memcmp(e->buf, e->pat, SPAN), id,
			"KeyID %u with a direct %s key: %u bytes at 0x%llx stored as ciphertext (DRAM differs from the pattern), read back through KeyID %u as the pattern",
			KEYID_A, mktme_alg_name(alg), SPAN, (unsigned long long)e->pa0, KEYID_A);
	if (saved_raw)
		mc_memcpy(saved_raw, e->raw, SPAN);

	mc_snprintf(id, sizeof(id), "encrypt.xts_%s", alg == MKTME_AES_XTS_128 ? "xts128" : "xts256");
	if (e->m.k->on_model) {
		bool ok = xts_matches(e, &convs[0], key, keylen, e->pa0, KEYID_A, e->pat, e->raw, &err);
		/* The check must be able to fail: the other conventions must not match. */
		u32 others = 0;
		int err2;
		for (u32 i = 1; i < sizeof(convs) / sizeof(convs[0]); i++)
			others += xts_matches(e, &convs[i], key, keylen, e->pa0, KEYID_A, e->pat, e->raw, &err2);
		mc_report_check(res, ok && !others, id,
				"the model's DRAM bytes equal software %s (backend %s) of the pattern, 64-byte units, tweak = line PA without KeyID (mc_model_tweak); %u of 4 other tweak conventions match (expected 0)%s%s",
				mktme_alg_name(alg), xts_backend_name((enum xts_backend)e->be), others, err ? ": " : "",
				err ? xts_strerror(err) : "");
	} else {
		char found[160] = "";
		size_t n = 0;
		for (u32 i = 0; i < sizeof(convs) / sizeof(convs[0]); i++)
			if (xts_matches(e, &convs[i], key, keylen, e->pa0, KEYID_A, e->pat, e->raw, &err))
				n += (size_t)mc_snprintf(found + n, sizeof(found) - n, "%s%s", n ? "; " : "", convs[i].name);
		mc_report(res, MC_INFO, id, "%s: DRAM bytes reproduced by software %s under: %s", mktme_alg_name(alg),
			  xts_backend_name((enum xts_backend)e->be), n ? found : "none of the 5 candidate tweak conventions");
	}
out:
	mc_wipe(key, sizeof(key));
}

static void keyids_and_addresses(struct enc *e, const u8 *raw_a)
{
	struct mc_results *res = e->m.k->res;
	u32 alg = e->m.algs[0];
	size_t keylen = 2 * mktme_key_half(alg);
	u8 key[64];

	if (e->m.nkeyids < KEYID_B) {
		mc_report(res, MC_SKIP, "encrypt.keyids_differ", "only %u KeyID usable: a second one is needed", e->m.nkeyids);
		return;
	}
	/* KeyID A holds a direct key (direct_key, first algorithm); B another. */
	if (!ksuite_random_key(e->p, key, keylen) ||
	    !program(e, "encrypt.keyids_differ", KEYID_B, MKTME_KEYID_SET_KEY_DIRECT, alg, key)) {
		mc_wipe(key, sizeof(key));
		return;
	}
	mc_wipe(key, sizeof(key));
	put(e, e->pa0, KEYID_B, e->pat);
	raw(e, e->pa0, e->raw2);
	mc_report_check(res, mc_memcmp(e->raw2, raw_a, SPAN), "encrypt.keyids_differ",
			"the same pattern at 0x%llx through KeyID %u and KeyID %u (different keys) stores different ciphertext",
			(unsigned long long)e->pa0, KEYID_A, KEYID_B);

	put(e, e->pa0, KEYID_A, e->pat);
	put(e, e->pa1, KEYID_A, e->pat);
	raw(e, e->pa0, e->raw);
	raw(e, e->pa1, e->raw2);
	mc_report_check(res, mc_memcmp(e->raw, e->raw2, SPAN), "encrypt.address_tweak",
			"the same pattern through KeyID %u at 0x%llx and 0x%llx stores different ciphertext (address tweak)",
			KEYID_A, (unsigned long long)e->pa0, (unsigned long long)e->pa1);

	get(e, e->pa0, KEYID_B, e->buf);
	mc_report_check(res, mc_memcmp(e->buf, e->pat, SPAN), "encrypt.wrong_keyid",
			"data written through KeyID %u and read through KeyID %u is not the plaintext (Intel seed 7.2: no coherence across KeyIDs)",
			KEYID_A, KEYID_B);
}

static void clear_and_no_encrypt(struct enc *e)
{
	struct mc_results *res = e->m.k->res;
	u32 alg = e->m.algs[0];
	bool bypass = e->m.f->tme.act.bypass;

	if (program(e, "encrypt.clear_key", KEYID_A, MKTME_KEYID_CLEAR_KEY, alg, NULL)) {
		put(e, e->pa0, KEYID_A, e->pat);
		raw(e, e->pa0, e->raw);
		get(e, e->pa0, 0, e->buf);
		bool same_as_0 = !mc_memcmp(e->buf, e->pat, SPAN);
		bool raw_ok = bypass ? !mc_memcmp(e->raw, e->pat, SPAN) : mc_memcmp(e->raw, e->pat, SPAN) != 0;
		mc_report_check(res, same_as_0 && raw_ok, "encrypt.clear_key",
				"after KEYID_CLEAR_KEY, KeyID %u behaves as KeyID 0 (TME %s, Table 6-5): written through it, read back through KeyID 0 as the pattern; DRAM %s",
				KEYID_A, bypass ? "bypass" : "key", bypass ? "holds the plaintext" : "holds ciphertext");
	}
	if (e->m.nkeyids >= KEYID_B && program(e, "encrypt.no_encrypt", KEYID_B, MKTME_KEYID_NO_ENCRYPT, alg, NULL)) {
		put(e, e->pa1, KEYID_B, e->pat);
		raw(e, e->pa1, e->raw);
		mc_report_check(res, !mc_memcmp(e->raw, e->pat, SPAN), "encrypt.no_encrypt",
				"KeyID %u programmed KEYID_NO_ENCRYPT stores the pattern as plaintext in DRAM (Table 6-5)", KEYID_B);
	}
}

static void keyid0(struct enc *e)
{
	struct mc_results *res = e->m.k->res;
	const struct mc_facts *f = e->m.f;

	put(e, e->pa0, 0, e->pat);
	raw(e, e->pa0, e->raw);
	bool plain = !mc_memcmp(e->raw, e->pat, SPAN);
	if (f->tme.act.bypass) {
		mc_report_check(res, plain, "encrypt.bypass",
				"TME bypass on (IA32_TME_ACTIVATE[31]=1): KeyID 0 at 0x%llx stored as plaintext (Intel seed 4.2.1)",
				(unsigned long long)e->pa0);
	} else {
		mc_report_check(res, !plain, "encrypt.keyid0",
				"KeyID 0 at 0x%llx stored as ciphertext under the platform TME key (bypass off)",
				(unsigned long long)e->pa0);
		mc_report(res, MC_SKIP, "encrypt.bypass", "TME bypass not on (IA32_TME_ACTIVATE[31]=0): KeyID 0 is encrypted");
	}

	if (!f->tme.excl.enabled) {
		mc_report(res, MC_SKIP, "encrypt.exclusion", "no exclusion range (IA32_TME_EXCLUDE_MASK=0x%llx, bit 11=0)",
			  (unsigned long long)f->tme.excl.mask_raw);
		return;
	}
	u64 base = f->tme.excl.base;
	struct mc_model_info mi = { 0 };
	if (!e->m.k->on_model || mc_model_info((void *)(uintptr_t)e->m.k->handoff->model_state, &mi) ||
	    base + SPAN > mi.dram_size / (mi.packages ? mi.packages : 1)) {
		mc_report(res, MC_SKIP, "encrypt.exclusion",
			  "exclusion range at 0x%llx is not memory this kernel may overwrite (%s)",
			  (unsigned long long)base, e->m.k->on_model ? "outside package 0's simulated DRAM" : "hardware");
		return;
	}
	put(e, base, 0, e->pat);
	raw(e, base, e->raw);
	bool in_plain = !mc_memcmp(e->raw, e->pat, SPAN);
	u8 key[64];
	u32 alg = e->m.algs[0];
	bool keyed = ksuite_random_key(e->p, key, 2 * mktme_key_half(alg)) &&
		     program(e, "encrypt.exclusion", KEYID_A, MKTME_KEYID_SET_KEY_DIRECT, alg, key);
	mc_wipe(key, sizeof(key));
	if (!keyed)
		return;
	put(e, base, KEYID_A, e->pat);
	raw(e, base, e->raw2);
	bool a_cipher = mc_memcmp(e->raw2, e->pat, SPAN) != 0;
	mc_report_check(res, in_plain && a_cipher, "encrypt.exclusion",
			"exclusion range 0x%llx+0x%llx: KeyID 0 there stored as plaintext, KeyID %u (direct key) there still ciphertext (Intel seed 4.2.4: KeyID 0 only)",
			(unsigned long long)base, (unsigned long long)f->tme.excl.size, KEYID_A);
}

void suite_encrypt(struct kernel_ctx *k);
void suite_encrypt(struct kernel_ctx *k)
{
	static struct enc e;
	u8 raw_a[SPAN];

	if (!kmk_get(k, "encrypt.mktme", &e.m))
		return;
	e.p = &k->plat;
	e.pa0 = ktest_page(k, 0);
	e.pa1 = ktest_page(k, 1);
	if (!e.pa0 || !e.pa1) {
		mc_report(k->res, MC_FAIL, "encrypt.mktme", "no test memory (scratch exhausted)");
		return;
	}
	ksuite_pattern(e.pat, SPAN, 0x5eed);
	e.be = ksuite_xts_backend(k, "encrypt.xts_backend");

	/* Last round with algs[0], whose ciphertext the next checks compare. */
	for (u32 a = 0; a < e.m.nalgs; a++)
		direct_key(&e, e.m.algs[e.m.nalgs - 1 - a], a == e.m.nalgs - 1 ? raw_a : NULL);
	keyids_and_addresses(&e, raw_a);
	clear_and_no_encrypt(&e);
	keyid0(&e);

	/* Leave both KeyIDs with TME behaviour. */
	struct kpc_result r;
	kpc_program(&e.m, KEYID_A, MKTME_KEYID_CLEAR_KEY, e.m.algs[0], NULL, NULL, &r);
	if (e.m.nkeyids >= KEYID_B)
		kpc_program(&e.m, KEYID_B, MKTME_KEYID_CLEAR_KEY, e.m.algs[0], NULL, NULL, &r);
}
