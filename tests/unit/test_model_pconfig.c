/* The model's PCONFIG (Intel seed 6.2.5 pseudo-code, 6.2.8/6.2.12
 * exceptions, Table 6-6 statuses): each #UD/#GP condition, each status,
 * their precedence, and the all-or-nothing key-table update. */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include <string.h>

#define GP X86_TRAP_GP
#define CTRL(c, a) MKTME_KEYID_CTRL(c, a)

static bool active(struct tm *m, const char *extra, u64 activate)
{
	if (!tm_boot(m, tm_icelake, extra, 1))
		return false;
	if (activate && tm_wr(m, 0, MSR_IA32_TME_ACTIVATE, activate)) {
		tm_free(m);
		return false;
	}
	return true;
}

static int pc(struct tm *m, u16 keyid, u32 ctrl, u64 *rax, bool *zf)
{
	struct tm_pc p;
	tm_pc_direct(&p, keyid, 1, 0x41);
	p.ctrl = ctrl;
	return tm_pconfig(m, &p, rax, zf);
}

TEST(model, pconfig_ud)
{
	struct tm m;
	u64 rax;
	bool zf;
	const char *no_pconfig = "cpus 1\ncpuid 0 0 1b 756e6547 6c65746e 49656e69\ncpuid 7 0 0 0 2000 0\n"
				 "cpuid 80000000 0 80000008 0 0 0\ncpuid 80000008 0 302e 0 0 0\nmsr 981 000003f680000005\n";
	if (!tm_boot(&m, no_pconfig, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == X86_TRAP_UD, "6.2.12: PCONFIG with CPUID.7.0:EDX[18] = 0 -> #UD");
	struct tm_pc p;
	tm_pc_direct(&p, 1, 1, 2);
	p.leaf = 5;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == X86_TRAP_UD, "6.2.12: #UD takes precedence over the leaf #GP");
	tm_free(&m);
}

TEST(model, pconfig_gp_leaf_and_activation)
{
	struct tm m;
	struct tm_pc p;
	u64 rax;
	bool zf;

	if (!active(&m, NULL, TM_ACTIVATE_MKTME))
		return;
	tm_pc_direct(&p, 1, 1, 2);
	p.leaf = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5 'if (EAX != 0) #GP(0)': leaf 1 -> #GP");
	p.leaf = 0xffffffff;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5 'if (EAX != 0) #GP(0)': leaf FFFFFFFFH -> #GP");
	tm_free(&m);

	if (!active(&m, NULL, 0))
		return;
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == GP, "6.2.5: IA32_TME_ACTIVATE not locked -> #GP");
	tm_free(&m);
	if (!active(&m, NULL, 0x0000000000000000ULL + 0))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0);          /* locked, not enabled */
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == GP, "6.2.5: IA32_TME_ACTIVATE.ENABLE != 1 -> #GP");
	tm_free(&m);
	if (!active(&m, NULL, 0x3))                       /* TME only */
		return;
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == GP, "6.2.5: MK_TME_KEYID_BITS == 0 -> #GP");
	tm_free(&m);
	if (!active(&m, "fault rng-fail\n", 0))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);   /* fails: not locked */
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == GP, "6.2.5: after a failed activation (RNG) PCONFIG -> #GP");
	tm_free(&m);
}

TEST(model, pconfig_gp_struct)
{
	struct tm m;
	struct tm_pc p;
	u64 rax;
	bool zf;
	static const u32 mis[] = { 1, 16, 64, 128, 255 };

	if (!active(&m, NULL, TM_ACTIVATE_MKTME))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(mis); i++) {
		tm_pc_direct(&p, 1, 1, 2);
		p.misalign = mis[i];
		EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: struct %u bytes past a 256-byte boundary -> #GP", mis[i]);
	}
	tm_pc_direct(&p, 1, 1, 2);
	p.rsvd_byte = 0x80;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5 'RSVD field check': a non-zero RSVD byte -> #GP");
	tm_pc_direct(&p, 1, 1, 2);
	p.ctrl |= 1u << 24;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: KEYID_CTRL reserved bit 24 -> #GP");
	p.ctrl = CTRL(0, 1) | (1u << 31);
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: KEYID_CTRL reserved bit 31 -> #GP");
	tm_pc_direct(&p, 1, 1, 2);
	p.key1[16] = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: ENC_ALG[0] and KEY_FIELD_1.BYTES[16] != 0 -> #GP");
	tm_pc_direct(&p, 1, 1, 2);
	p.key2[63] = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: ENC_ALG[0] and KEY_FIELD_2.BYTES[63] != 0 -> #GP");
	tm_pc_direct(&p, 1, 1, 2);
	p.ctrl = CTRL(0, MKTME_AES_XTS_256);
	p.key1[20] = 1;
	p.key2[31] = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == 0 && rax == 0 && !zf,
	       "6.2.5: with ENC_ALG[2], key bytes 16..31 are key material (accepted)");
	p.key1[32] = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: ENC_ALG[2] and KEY_FIELD_1.BYTES[32] != 0 -> #GP");
	p.key1[32] = 0;
	p.key2[40] = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "6.2.5: ENC_ALG[2] and KEY_FIELD_2.BYTES[40] != 0 -> #GP");
	p.key2[40] = 0;
	p.ctrl = CTRL(0, MKTME_AES_XTS_128 | MKTME_AES_XTS_256);
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP,
	       "6.2.5: both ENC_ALG bits apply their key checks (bytes 16..31 set with bit 0) -> #GP before any status");
	tm_free(&m);
}

TEST(model, pconfig_statuses)
{
	struct tm m;
	u64 rax;
	bool zf;

	if (!active(&m, NULL, TM_ACTIVATE_MKTME))
		return;
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_PROG_SUCCESS && !zf,
	       "Table 6-6 PROG_SUCCESS: DIRECT on KeyID 1 -> RAX 0, ZF 0");
	EXPECT(pc(&m, 63, CTRL(1, 1), &rax, &zf) == 0 && rax == 0 && !zf, "RANDOM on KeyID 63 (= MAX_KEYS) succeeds");
	EXPECT(pc(&m, 2, CTRL(2, 4), &rax, &zf) == 0 && rax == 0, "CLEAR_KEY with AES-XTS-256 succeeds");
	EXPECT(pc(&m, 3, CTRL(3, 1), &rax, &zf) == 0 && rax == 0, "NO_ENCRYPT succeeds");
	EXPECT(pc(&m, 1, CTRL(4, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_PROG_CMD && zf,
	       "Table 6-6 INVALID_PROG_CMD: command 4 -> RAX 1, ZF 1");
	EXPECT(pc(&m, 1, CTRL(255, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_PROG_CMD, "command 255 -> INVALID_PROG_CMD");
	EXPECT(pc(&m, 0, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID && zf,
	       "Table 6-6 INVALID_KEYID: KeyID 0 -> 3");
	EXPECT(pc(&m, 64, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID,
	       "INVALID_KEYID: KeyID 64 > 2^6 - 1");
	EXPECT(pc(&m, 0xffff, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID, "INVALID_KEYID: KeyID FFFFH");
	EXPECT(pc(&m, 1, CTRL(0, 0), &rax, &zf) == 0 && rax == MKTME_INVALID_CRYPTO_ALG && zf,
	       "Table 6-6 INVALID_CRYPTO_ALG: no algorithm bit -> 4");
	EXPECT(pc(&m, 1, CTRL(0, 2), &rax, &zf) == 0 && rax == MKTME_INVALID_CRYPTO_ALG,
	       "INVALID_CRYPTO_ALG: reserved algorithm bit 1 (one bit, not activated)");
	EXPECT(pc(&m, 1, CTRL(0, 0x8000), &rax, &zf) == 0 && rax == MKTME_INVALID_CRYPTO_ALG,
	       "INVALID_CRYPTO_ALG: algorithm bit 15");
	EXPECT(pc(&m, 1, CTRL(2, 5), &rax, &zf) == 0 && rax == MKTME_INVALID_CRYPTO_ALG,
	       "INVALID_CRYPTO_ALG: two algorithm bits (also for CLEAR_KEY)");
	tm_free(&m);

	/* MKTME activated for AES-XTS-128 only. */
	if (!active(&m, NULL, 0x0001000600000003ULL))
		return;
	EXPECT(pc(&m, 1, CTRL(3, 4), &rax, &zf) == 0 && rax == MKTME_INVALID_CRYPTO_ALG,
	       "INVALID_CRYPTO_ALG: AES-XTS-256 not in MK_TME_CRYPTO_ALGS (even for NO_ENCRYPT)");
	tm_free(&m);

	/* MAX_KEYS (10) below 2^bits - 1. */
	const char *ten = "cpus 1\ncpuid 0 0 1b 756e6547 6c65746e 49656e69\ncpuid 7 0 0 0 2000 40000\n"
			  "cpuid 80000000 0 80000008 0 0 0\ncpuid 80000008 0 302e 0 0 0\nmsr 981 000000a480000005\n";
	if (!tm_boot(&m, ten, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x0001000400000003ULL);
	EXPECT(pc(&m, 10, CTRL(0, 1), &rax, &zf) == 0 && rax == 0, "KeyID 10 = MK_TME_MAX_KEYS is valid");
	EXPECT(pc(&m, 11, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID,
	       "INVALID_KEYID: KeyID 11 > MK_TME_MAX_KEYS 10 (though < 2^4 - 1)");
	tm_free(&m);
	/* Fewer KeyID bits activated than enumerated. */
	if (!active(&m, NULL, 0x0001000200000003ULL))
		return;
	EXPECT(pc(&m, 4, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID,
	       "INVALID_KEYID: KeyID 4 > 2^2 - 1 with 2 KeyID bits activated");
	EXPECT(pc(&m, 3, CTRL(0, 1), &rax, &zf) == 0 && rax == 0, "KeyID 3 is valid with 2 KeyID bits");
	tm_free(&m);
}

TEST(model, pconfig_busy_and_entropy)
{
	struct tm m;
	u64 rax;
	bool zf;

	if (!active(&m, "fault pconfig-busy 2\n", TM_ACTIVATE_MKTME))
		return;
	EXPECT(pc(&m, 1, CTRL(9, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_PROG_CMD,
	       "precedence: INVALID_PROG_CMD is decided before the key-table lock (budget not used)");
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_DEVICE_BUSY && zf,
	       "Table 6-6 DEVICE_BUSY: fault pconfig-busy 2, first PCONFIG at the lock -> 5");
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_DEVICE_BUSY, "second PCONFIG at the lock -> DEVICE_BUSY");
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == 0 && rax == 0 && !zf, "third PCONFIG (retry) succeeds");
	tm_free(&m);

	if (!active(&m, "fault entropy-error\nfault pconfig-busy 1\n", TM_ACTIVATE_MKTME))
		return;
	EXPECT(pc(&m, 1, CTRL(1, 1), &rax, &zf) == 0 && rax == MKTME_DEVICE_BUSY,
	       "precedence: DEVICE_BUSY comes before ENTROPY_ERROR");
	EXPECT(pc(&m, 1, CTRL(1, 1), &rax, &zf) == 0 && rax == MKTME_ENTROPY_ERROR && zf,
	       "Table 6-6 ENTROPY_ERROR: fault entropy-error, SET_KEY_RANDOM -> 2");
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == 0 && rax == 0,
	       "entropy-error affects only RANDOM: DIRECT still succeeds (and the lock was released)");
	tm_free(&m);
}

TEST(model, pconfig_precedence)
{
	struct tm m;
	struct tm_pc p;
	u64 rax;
	bool zf;

	if (!active(&m, "fault pconfig-busy 1\n", TM_ACTIVATE_MKTME))
		return;
	tm_pc_direct(&p, 0, 1, 2);
	p.ctrl = CTRL(7, 0);
	p.misalign = 64;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "precedence: the alignment #GP comes before any status");
	p.misalign = 0;
	p.rsvd_byte = 1;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP, "precedence: the RSVD #GP comes before any status");
	EXPECT(pc(&m, 0, CTRL(7, 0), &rax, &zf) == 0 && rax == MKTME_INVALID_PROG_CMD,
	       "precedence: INVALID_PROG_CMD before INVALID_KEYID and INVALID_CRYPTO_ALG");
	EXPECT(pc(&m, 0, CTRL(0, 0), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID,
	       "precedence: INVALID_KEYID before INVALID_CRYPTO_ALG");
	EXPECT(pc(&m, 1, CTRL(0, 0), &rax, &zf) == 0 && rax == MKTME_INVALID_CRYPTO_ALG,
	       "precedence: INVALID_CRYPTO_ALG before DEVICE_BUSY (busy budget untouched)");
	EXPECT(pc(&m, 1, CTRL(0, 1), &rax, &zf) == 0 && rax == MKTME_DEVICE_BUSY,
	       "the busy budget was still there for the first valid PCONFIG");
	tm_free(&m);
}

/* The key table changes all or nothing (6.2.4): a failed PCONFIG leaves
 * the KeyID's key in place, seen through memory. */
TEST(model, pconfig_all_or_nothing)
{
	struct tm m;
	struct tm_pc p;
	u64 rax;
	bool zf;
	u8 plain[64], back[64];
	u64 pa1 = mc_keyid_pa(0x4000, 1, 46, 6);

	if (!active(&m, "fault pconfig-busy 1\nfault entropy-error\n", TM_ACTIVATE_MKTME))
		return;
	for (int i = 0; i < 64; i++)
		plain[i] = (u8)(i * 7);
	tm_pc_direct(&p, 1, 1, 0x41);
	tm_pconfig(&m, &p, &rax, &zf);                      /* busy */
	tm_pconfig(&m, &p, &rax, &zf);                      /* succeeds */
	m.p.mem_write(m.p.ctx, pa1, plain, 64);
	m.p.clflush(m.p.ctx, pa1);
	tm_pc_direct(&p, 1, 0x99, 0x77);
	p.ctrl = CTRL(1, 1);                                /* RANDOM, entropy error */
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == 0 && rax == MKTME_ENTROPY_ERROR, "a RANDOM PCONFIG fails with ENTROPY_ERROR");
	p.ctrl = CTRL(0, 4);                                /* DIRECT AES-XTS-256 ... */
	p.keyid = 70;                                       /* ... on a KeyID above 2^6 - 1 */
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID, "a PCONFIG fails with INVALID_KEYID");
	m.p.mem_read(m.p.ctx, pa1, back, 64);
	EXPECT(!memcmp(plain, back, 64), "6.2.4 all-or-nothing: after failed PCONFIGs KeyID 1 still decrypts with its key");
	tm_free(&m);
}

TEST(model, pconfig_package_scope)
{
	struct tm m;
	struct tm_pc p;
	u64 rax;
	bool zf;
	if (!tm_boot(&m, tm_icelake_2pkg, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	tm_pc_direct(&p, 1, 1, 2);
	p.cpu = 2;
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == GP,
	       "6.2.1: PCONFIG is package-scoped: on package 1 (not activated) it #GPs");
	tm_wr(&m, 2, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	EXPECT(tm_pconfig(&m, &p, &rax, &zf) == 0 && rax == 0, "after package 1's own activation it succeeds");
	tm_free(&m);
}

/* Beyond the seed (docs/model.md, our reading): with MSR 0x87 splitting 31
 * MKTME from 32 TDX KeyIDs, a PCONFIG outside SEAM on a private KeyID gets
 * INVALID_KEYID; the last MKTME KeyID still programs; 0x87 is read-only. */
TEST(model, pconfig_tdx_private_keyid)
{
	struct tm m;
	u64 rax, v = 0;
	bool zf;

	if (!active(&m, "msr 87 000000200000001f\n", TM_ACTIVATE_MKTME))
		return;
	EXPECT(pc(&m, 31, CTRL(1, 1), &rax, &zf) == 0 && rax == MKTME_PROG_SUCCESS && !zf,
	       "last MKTME KeyID 31 programs (PROG_SUCCESS)");
	EXPECT(pc(&m, 32, CTRL(1, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID && zf,
	       "first TDX private KeyID 32 outside SEAM -> INVALID_KEYID, ZF=1");
	EXPECT(pc(&m, 63, CTRL(3, 1), &rax, &zf) == 0 && rax == MKTME_INVALID_KEYID,
	       "last private KeyID 63 (NO_ENCRYPT) -> INVALID_KEYID");
	EXPECT(mc_rdmsr(&m.p, 0, MSR_IA32_MKTME_KEYID_PARTITIONING, &v) == 0 && v == 0x000000200000001fULL,
	       "MSR 0x87 reads the split (0x%llx)", (unsigned long long)v);
	EXPECT(mc_wrmsr(&m.p, 0, MSR_IA32_MKTME_KEYID_PARTITIONING, 0x3f) == X86_TRAP_GP, "MSR 0x87 is read-only: WRMSR #GP");
	tm_free(&m);
	/* Without the split every activated KeyID is MKTME's. */
	if (!active(&m, NULL, TM_ACTIVATE_MKTME))
		return;
	EXPECT(pc(&m, 32, CTRL(1, 1), &rax, &zf) == 0 && rax == MKTME_PROG_SUCCESS, "no MSR 0x87: KeyID 32 programs");
	tm_free(&m);
}
