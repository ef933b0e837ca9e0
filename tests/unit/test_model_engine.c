/* The model's memory engine (docs/model.md): KeyID semantics against the
 * software AES-XTS under the documented tweak rule, TME / bypass /
 * exclusion, the write-back cache rule, attach, rng, CPUID rules. */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include "lib/crypto/xts.h"
#include <stdlib.h>
#include <string.h>

#define KPA(pa, k) mc_keyid_pa((pa), (k), 46, 6)

static void pattern(u8 *b, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (u8)(seed + i * 13);
}

static void put(struct tm *m, u64 pa, const u8 *b, size_t n)
{
	m->p.mem_write(m->p.ctx, pa, b, n);
	m->p.clflush(m->p.ctx, pa);
}

static void program(struct tm *m, u16 keyid, u32 cmd, u32 alg, u8 k1, u8 k2)
{
	struct tm_pc p;
	u64 rax;
	bool zf;
	tm_pc_direct(&p, keyid, k1, k2);
	p.ctrl = MKTME_KEYID_CTRL(cmd, alg);
	if (alg == MKTME_AES_XTS_256)
		for (int i = 16; i < 32; i++)
			p.key1[i] = (u8)(k1 + i), p.key2[i] = (u8)(k2 + i);
	tm_pconfig(m, &p, &rax, &zf);
}

/* Expected DRAM bytes of one 64-byte line under a DIRECT key built like
 * program() builds it, with the documented tweak rule. */
static bool expected_line(u64 line_pa, u8 k1, u8 k2, u32 half, const u8 *plain, u8 *out)
{
	u8 key[64], tweak[16];
	struct xts_ctx x;
	for (u32 i = 0; i < half; i++)
		key[i] = (u8)(k1 + i), key[half + i] = (u8)(k2 + i);
	mc_model_tweak(line_pa, tweak);
	bool ok = xts_init(&x, key, 2 * half, XTS_ENCRYPT, XTS_BACKEND_CT64) == XTS_OK &&
		  xts_encrypt(&x, tweak, plain, out, 64) == XTS_OK;
	xts_wipe(&x);
	return ok;
}

TEST(model, tweak_rule)
{
	u8 t[16];
	mc_model_tweak(0x0000123456789ac0ULL, t);
	EXPECT(t[0] == 0xc0 && t[1] == 0x9a && t[5] == 0x12 && t[6] == 0 && t[15] == 0,
	       "mc_model_tweak: the unit's address as a 128-bit little-endian number");
	EXPECT(KPA(0x1000, 1) == 0x0000010000001000ULL && mc_keyid_of(KPA(0x1000, 63), 46, 6) == 63,
	       "seed 5.1: KeyID 1 with 6 bits under MAXPHYADDR 46 is PA bit 40; KeyID 63 round-trips");
}

TEST(model, engine_before_activation)
{
	struct tm m;
	u8 a[64], r[64];
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	pattern(a, 64, 1);
	put(&m, 0x1000, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x1000, r, 64);
	EXPECT(!memcmp(a, r, 64), "before TME activation DRAM holds plaintext");
	EXPECT(m.p.mem_write(m.p.ctx, KPA(0x1000, 1), a, 64) == MC_PLAT_EINVAL,
	       "before MKTME activation, PA bit 40 is an address bit beyond the 16 MiB DRAM (EINVAL)");
	tm_free(&m);
}

TEST(model, engine_keyids)
{
	struct tm m;
	u8 a[64], r[64], r2[64], exp[64], back[64];
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	pattern(a, 64, 3);

	put(&m, 0x2000, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x2000, r, 64);
	m.p.mem_read(m.p.ctx, 0x2000, back, 64);
	EXPECT(memcmp(a, r, 64) && !memcmp(a, back, 64),
	       "KeyID 0 after TME activation: DRAM differs from the plaintext, a KeyID 0 read returns it");

	program(&m, 1, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, 0x10, 0x80);
	put(&m, KPA(0x3000, 1), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x3000, r, 64);
	EXPECT(expected_line(0x3000, 0x10, 0x80, 16, a, exp) && !memcmp(r, exp, 64),
	       "DIRECT AES-XTS-128 KeyID 1: DRAM = software XTS(key1||key2, tweak = LE(line PA without KeyID))");
	m.p.mem_read(m.p.ctx, KPA(0x3000, 1), back, 64);
	EXPECT(!memcmp(a, back, 64), "a KeyID 1 read decrypts back to the plaintext");
	m.p.mem_read(m.p.ctx, 0x3000, back, 64);
	EXPECT(memcmp(a, back, 64), "reading KeyID 1's line with KeyID 0 gives garbage, as on hardware");

	program(&m, 2, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_256, 0x20, 0x90);
	put(&m, KPA(0x3000, 2), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x3000, r2, 64);
	EXPECT(expected_line(0x3000, 0x20, 0x90, 32, a, exp) && !memcmp(r2, exp, 64),
	       "DIRECT AES-XTS-256 KeyID 2: DRAM = software XTS with the 64-byte key");
	EXPECT(memcmp(r, r2, 64), "different KeyIDs store the same plaintext at the same PA differently");

	/* Unaligned partial write inside a line: read-modify-write of the line. */
	put(&m, KPA(0x3005, 2), (const u8 *)"hello", 5);
	memcpy(a + 5, "hello", 5);
	m.p.mem_raw_read(m.p.ctx, 0x3000, r2, 64);
	EXPECT(expected_line(0x3000, 0x20, 0x90, 32, a, exp) && !memcmp(r2, exp, 64),
	       "a 5-byte write at line offset 5 re-encrypts the whole line (64-byte data unit)");

	program(&m, 3, MKTME_KEYID_NO_ENCRYPT, MKTME_AES_XTS_128, 0, 0);
	put(&m, KPA(0x5000, 3), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x5000, r, 64);
	EXPECT(!memcmp(a, r, 64), "NO_ENCRYPT KeyID 3: DRAM holds plaintext");

	u8 t0[64];
	put(&m, 0x6000, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x6000, t0, 64);
	program(&m, 1, MKTME_KEYID_CLEAR_KEY, MKTME_AES_XTS_128, 0, 0);
	put(&m, KPA(0x6000, 1), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x6000, r, 64);
	EXPECT(!memcmp(t0, r, 64) && memcmp(a, r, 64),
	       "CLEAR_KEY: KeyID 1 is back to the TME key (same DRAM bytes as KeyID 0; the KeyID is not in the tweak)");
	put(&m, KPA(0x6000, 9), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x6000, r, 64);
	EXPECT(!memcmp(t0, r, 64), "a never-programmed KeyID (9) has TME behaviour (seed 6.2.1.1.4)");
	tm_free(&m);
}

TEST(model, engine_weak_key)
{
	struct tm m;
	u8 a[64], r[64], back[64], key[32], tweak[16];
	struct xts_ctx x;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	program(&m, 4, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, 0x33, 0x33);
	pattern(a, 64, 9);
	put(&m, KPA(0x7000, 4), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x7000, r, 64);
	for (int i = 0; i < 16; i++)
		key[i] = key[16 + i] = (u8)(0x33 + i);
	mc_model_tweak(0x7000, tweak);
	bool ok = xts_init(&x, key, 32, XTS_DECRYPT, XTS_BACKEND_CT64) == XTS_OK &&
		  xts_decrypt(&x, tweak, r, back, 64) == XTS_OK;
	xts_wipe(&x);
	EXPECT(ok && !memcmp(a, back, 64) && memcmp(a, r, 64),
	       "seed 6.2.1.1.3 (no weak-key checks): a key with data key = tweak key still encrypts, as XTS");
	tm_free(&m);
}

TEST(model, engine_bypass_and_exclusion)
{
	struct tm m;
	u8 a[64], r[64];
	pattern(a, 64, 5);
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME | TME_ACTIVATE_BYPASS);
	put(&m, 0x2000, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x2000, r, 64);
	EXPECT(!memcmp(a, r, 64), "bypass (ACTIVATE[31]): KeyID 0 is stored as plaintext");
	put(&m, KPA(0x2040, 5), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x2040, r, 64);
	EXPECT(!memcmp(a, r, 64), "bypass: a KeyID with TME behaviour is plaintext too (seed 6.2.1.1.2 CLEAR_KEY)");
	program(&m, 1, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, 1, 2);
	put(&m, KPA(0x2080, 1), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x2080, r, 64);
	EXPECT(memcmp(a, r, 64), "bypass does not affect a KeyID with its own key");
	tm_free(&m);

	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	/* Exclude 0x100000-0x1fffff (1 MiB). */
	tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_BASE, 0x100000);
	tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x3ffffff00800ULL);
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	put(&m, 0x180000, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x180000, r, 64);
	EXPECT(!memcmp(a, r, 64), "seed 4.2.4: KeyID 0 inside the exclusion range is plaintext");
	put(&m, 0x200000, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x200000, r, 64);
	EXPECT(memcmp(a, r, 64), "KeyID 0 just above the exclusion range is encrypted");
	put(&m, KPA(0x180040, 7), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x180040, r, 64);
	EXPECT(memcmp(a, r, 64), "seed 4.2.4: the exclusion range applies to KeyID 0 only (KeyID 7 encrypted)");
	tm_free(&m);
}

TEST(model, engine_cache_rule)
{
	struct tm m;
	u8 a[64], b[64], r0[64], r[64], back[64];
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	program(&m, 1, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, 1, 2);
	program(&m, 2, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, 3, 4);
	pattern(a, 64, 1);
	pattern(b, 64, 99);
	put(&m, KPA(0x8000, 2), b, 64);
	m.p.mem_raw_read(m.p.ctx, 0x8000, r0, 64);

	m.p.mem_write(m.p.ctx, KPA(0x8000, 1), a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x8000, r, 64);
	EXPECT(!memcmp(r, r0, 64), "cache rule: a line written with KeyID 1 and not flushed is not yet in DRAM");
	m.p.mem_read(m.p.ctx, KPA(0x8000, 2), back, 64);
	EXPECT(!memcmp(back, b, 64) && memcmp(back, a, 64),
	       "cache rule: a KeyID 2 read meanwhile sees the stale DRAM contents, not KeyID 1's write");
	m.p.clflush(m.p.ctx, KPA(0x8000, 2));
	m.p.mem_raw_read(m.p.ctx, 0x8000, r, 64);
	EXPECT(!memcmp(r, r0, 64), "cache rule: clflush with KeyID 2 does not flush KeyID 1's dirty line");
	m.p.clflush(m.p.ctx, KPA(0x8000, 1));
	m.p.mem_raw_read(m.p.ctx, 0x8000, r, 64);
	EXPECT(memcmp(r, r0, 64) && expected_line(0x8000, 1, 2, 16, a, back) && !memcmp(r, back, 64),
	       "cache rule: clflush with KeyID 1 writes the line back, encrypted with KeyID 1's key");

	/* Skipping the flush before a key change: the write-back uses the new key. */
	m.p.mem_write(m.p.ctx, KPA(0x9000, 1), a, 64);
	program(&m, 1, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, 5, 6);
	m.p.wbinvd(m.p.ctx);
	m.p.mem_raw_read(m.p.ctx, 0x9000, r, 64);
	EXPECT(expected_line(0x9000, 5, 6, 16, a, back) && !memcmp(r, back, 64),
	       "cache rule: a dirty line written back after PCONFIG changed the key is encrypted with the new key (seed 6.2.1.1.4)");

	/* Eviction: more lines than the cache holds reach DRAM without a flush. */
	for (u64 i = 0; i < 80; i++)
		m.p.mem_write(m.p.ctx, 0x100000 + 64 * i, a, 64);
	m.p.mem_raw_read(m.p.ctx, 0x100000, r, 64);
	EXPECT(memcmp(r, (u8[64]){0}, 64), "cache rule: LRU eviction writes back the oldest dirty line (80 lines > 64)");
	tm_free(&m);
}

TEST(model, engine_bounds_and_rng)
{
	struct tm m, n;
	u8 a[16] = {0};
	u64 v1, v2, v3;
	if (!tm_boot(&m, tm_icelake, NULL, 7) || !tm_boot(&n, tm_icelake, NULL, 7))
		return;
	EXPECT(m.p.mem_write(m.p.ctx, 16 * 1024 * 1024 - 8, a, 16) == MC_PLAT_EINVAL,
	       "a write crossing the end of the 16 MiB DRAM -> EINVAL");
	EXPECT(m.p.mem_read(m.p.ctx, 1ULL << 46, a, 1) == MC_PLAT_EINVAL, "a PA at MAXPHYADDR -> EINVAL");
	m.p.rng(m.p.ctx, &v1);
	n.p.rng(n.p.ctx, &v2);
	m.p.rng(m.p.ctx, &v3);
	EXPECT(v1 == v2 && v1 != v3, "rng: deterministic for one seed, and successive values differ");
	tm_free(&m);
	tm_free(&n);
	if (!tm_boot(&m, tm_icelake, "fault rng-fail\n", 7))
		return;
	EXPECT(m.p.rng(m.p.ctx, &v1) == MC_PLAT_ENOSYS, "fault rng-fail: rng() fails (ENOSYS)");
	tm_free(&m);
}

TEST(model, attach_continues_state)
{
	struct tm m;
	struct mc_platform p2;
	u8 a[64], back[64];
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	program(&m, 1, MKTME_KEYID_SET_KEY_RANDOM, MKTME_AES_XTS_128, 0, 0);
	pattern(a, 64, 42);
	m.p.mem_write(m.p.ctx, KPA(0xa000, 1), a, 64);
	/* Another binary sees the same bytes at another address. */
	void *copy = malloc(m.size);
	memcpy(copy, m.state, m.size);
	EXPECT(mc_model_attach(copy, m.size, &p2) == 0, "attach to a byte copy of the state blob");
	p2.mem_read(p2.ctx, KPA(0xa000, 1), back, 64);
	EXPECT(!memcmp(a, back, 64), "the attached platform continues: KeyID 1's RANDOM key and the cache came along");
	EXPECT(mc_model_attach(copy, m.size - 64, &p2) != 0, "attach refuses a size smaller than the blob");
	((u8 *)copy)[0] ^= 1;
	EXPECT(mc_model_attach(copy, m.size, &p2) != 0, "attach refuses a bad magic");
	((u8 *)copy)[0] ^= 1;
	((u32 *)copy)[2] = 99;
	EXPECT(mc_model_attach(copy, m.size, &p2) != 0, "attach refuses another version");
	free(copy);
	tm_free(&m);
}

TEST(model, cpuid_rules)
{
	struct tm m;
	struct cpuid_regs r, top;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	m.p.cpuid(m.p.ctx, 0, 0x1b, 0, &top);
	m.p.cpuid(m.p.ctx, 0, 0x20, 0, &r);
	EXPECT(!memcmp(&r, &top, sizeof(r)) && top.eax == 1,
	       "a basic leaf above the maximum (20H > 1BH) returns the highest basic leaf's data");
	m.p.cpuid(m.p.ctx, 0, 0x8000001f, 0, &r);
	EXPECT(!memcmp(&r, &top, sizeof(r)), "an extended leaf above the maximum returns the highest basic leaf (FACTS.md)");
	m.p.cpuid(m.p.ctx, 0, 0xd, 0, &r);
	EXPECT(!r.eax && !r.ebx && !r.ecx && !r.edx, "an unlisted leaf within range returns zeros");
	m.p.cpuid(m.p.ctx, 0, 0x1b, 1, &r);
	EXPECT(!r.eax, "CPUID 1BH sub-leaf 1 is invalid (sub-leaf type 0): the scan of 6.2.3.1 ends");
	m.p.cpuid(m.p.ctx, 0, 0x1b, 0, &r);
	EXPECT((r.eax & 0xfff) == 1 && r.ebx == PCONFIG_TARGET_MKTME, "CPUID 1BH.0: target identifier MKTME");
	m.p.cpuid(m.p.ctx, 3, 1, 5, &r);
	EXPECT(r.ebx >> 24 == 3 && r.eax == 0x606a6, "leaf 1 ignores ECX and carries CPU 3's APIC ID");
	tm_free(&m);
}
