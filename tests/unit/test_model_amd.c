/* The model's AMD side: the AMD seed's guest/nested C-bit table as a pure
 * function (one test per row), the PAE rule, SYSCFG, SEV_STATUS and the
 * SME / SEV memory engine. */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include "lib/model/state.h"   /* the SME key, for the known-answer test only */
#include "lib/crypto/xts.h"
#include <string.h>

#define AMD_BASE \
	"cpus 2\n" \
	"cpuid 0 0 00000010 68747541 444d4163 69746e65\n" \
	"cpuid 80000000 0 80000023 0 0 0\n" \
	"cpuid 80000008 0 00003030 0 0 0\n"
static const char milan[] = AMD_BASE
	"cpuid 1 0 00a00f11 00000800 7ef8320b 178bfbff\n"
	"cpuid 8000001f 0 0000003f 00004173 000001fd 00000001\n";
static const char guest[] = AMD_BASE
	"cpuid 1 0 00a00f11 00000800 fef8320b 178bfbff\n"
	"cpuid 8000001f 0 0000001a 00000073 0 0\n"
	"msr c0010010 gp\nmsr c0010131 7\n";
static const char no_sme[] = AMD_BASE
	"cpuid 1 0 00a00f11 00000800 7ef8320b 178bfbff\n"
	"msr c0010010 0\n";

#define CBIT (1ULL << 51)

static enum mc_amd_enc enc(bool g, bool sev, bool pae, bool c, bool nc, enum mc_amd_kind k)
{
	struct mc_amd_access a = { .guest = g, .sev = sev, .paging_pae = pae, .c = c, .nested_c = nc, .kind = k };
	return mc_amd_encryption(&a);
}

TEST(model, amd_cbit_table)
{
	EXPECT(enc(0, 0, 1, 0, 0, MC_AMD_DATA) == MC_AMD_UNENCRYPTED, "AMD seed: host C=0 -> unencrypted");
	EXPECT(enc(0, 0, 1, 1, 0, MC_AMD_DATA) == MC_AMD_HOST_KEY, "AMD seed: host C=1 -> encrypted with SME (host) key");
	EXPECT(enc(1, 0, 1, 1, 0, MC_AMD_DATA) == MC_AMD_UNENCRYPTED,
	       "AMD seed: non-SEV guest: the nested table decides (nested C=0 -> unencrypted, guest C ignored)");
	EXPECT(enc(1, 0, 1, 0, 1, MC_AMD_DATA) == MC_AMD_HOST_KEY, "AMD seed: non-SEV guest, nested C=1 -> host key");
	EXPECT(enc(1, 1, 1, 0, 0, MC_AMD_DATA) == MC_AMD_UNENCRYPTED, "AMD seed table: guest C=0, nested C=0 -> unencrypted");
	EXPECT(enc(1, 1, 1, 0, 1, MC_AMD_DATA) == MC_AMD_HOST_KEY, "AMD seed table: guest C=0, nested C=1 -> host key");
	EXPECT(enc(1, 1, 1, 1, 0, MC_AMD_DATA) == MC_AMD_GUEST_KEY, "AMD seed table: guest C=1, nested C=0 -> guest key");
	EXPECT(enc(1, 1, 1, 1, 1, MC_AMD_DATA) == MC_AMD_GUEST_KEY, "AMD seed table: guest C=1, nested C=1 -> guest key");
	EXPECT(enc(1, 1, 1, 0, 0, MC_AMD_CODE) == MC_AMD_GUEST_KEY, "AMD seed: SEV instruction fetches are always private");
	EXPECT(enc(1, 1, 1, 0, 0, MC_AMD_GUEST_PT) == MC_AMD_GUEST_KEY, "AMD seed: SEV guest page tables are always private");
	EXPECT(enc(1, 1, 0, 0, 0, MC_AMD_DATA) == MC_AMD_GUEST_KEY, "AMD seed: SEV guest before CR4.PAE=1: all pages private");
	EXPECT(enc(0, 0, 0, 1, 0, MC_AMD_DATA) == MC_AMD_UNENCRYPTED,
	       "AMD seed: SME default with CR4.PAE=0 is unencrypted (C-bit not interpreted)");
	EXPECT(mc_amd_cbit_effective(true, true) && !mc_amd_cbit_effective(true, false) && !mc_amd_cbit_effective(false, true),
	       "AMD seed: the C-bit is supported only with CR4.PAE=1 and paging enabled");
}

TEST(model, amd_sme_engine)
{
	struct tm m;
	u8 a[64], r[64], back[64];
	u64 v;
	memset(a, 0x5a, sizeof(a));                  /* four identical 16-byte blocks */
	if (!tm_boot(&m, milan, "msr c0010010 0000000000f40000\nmsr c0010131 0\n", 1))
		return;
	m.p.mem_write(m.p.ctx, 0x4000 | CBIT, a, 64);
	m.p.wbinvd(m.p.ctx);
	m.p.mem_raw_read(m.p.ctx, 0x4000, r, 64);
	m.p.mem_read(m.p.ctx, 0x4000 | CBIT, back, 64);
	EXPECT(memcmp(a, r, 64) && !memcmp(a, back, 64), "SME on: C=1 stores ciphertext and a C=1 read returns the data");
	EXPECT(memcmp(r, r + 16, 16) && memcmp(r + 16, r + 32, 16),
	       "SME: equal 16-byte blocks at different addresses encrypt differently (address tweak)");
	m.p.mem_read(m.p.ctx, 0x4000, back, 64);
	EXPECT(!memcmp(back, r, 64), "a C=0 read of an encrypted page returns the ciphertext");
	m.p.mem_write(m.p.ctx, 0x5000, a, 64);
	m.p.wbinvd(m.p.ctx);
	m.p.mem_raw_read(m.p.ctx, 0x5000, r, 64);
	EXPECT(!memcmp(a, r, 64), "C=0 stores plaintext");
	EXPECT(mc_model_unit_size(m.state) == 16, "AMD data unit is 16 bytes");
	EXPECT(tm_wr(&m, 1, MSR_AMD64_SYSCFG, 0x740000) == 0 && tm_rd(&m, 0, MSR_AMD64_SYSCFG, &v) == 0 &&
	       (v & MSR_AMD64_SYSCFG_MEM_ENCRYPT), "SYSCFG is per core: clearing bit 23 on CPU 1 leaves CPU 0's set");
	EXPECT(tm_wr(&m, 0, MSR_AMD64_SEV, 1) == X86_TRAP_GP, "SEV_STATUS is read-only (WRMSR #GP)");
	tm_free(&m);

	if (!tm_boot(&m, milan, "msr c0010010 0000000000740000\n", 1))
		return;
	EXPECT(m.p.mem_write(m.p.ctx, 0x4000 | CBIT, a, 64) == MC_PLAT_EINVAL,
	       "SME off (SYSCFG[23]=0): bit 51 is just an address bit beyond DRAM (EINVAL)");
	EXPECT(tm_wr(&m, 0, MSR_AMD64_SYSCFG, 0xf40000) == 0, "SYSCFG[23] can be set where CPUID 8000001FH EAX[0] = 1");
	EXPECT(m.p.mem_write(m.p.ctx, 0x4000 | CBIT, a, 64) == 0, "after setting SYSCFG[23] on CPU 0 the C-bit is interpreted");
	tm_free(&m);

	if (!tm_boot(&m, no_sme, NULL, 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_AMD64_SYSCFG, 0x800000) == X86_TRAP_GP,
	       "SYSCFG[23] without SME enumerated (no CPUID 8000001FH) -> #GP");
	tm_free(&m);
}

TEST(model, amd_sev_guest)
{
	struct tm m, h;
	u8 a[64], r[64], rh[64];
	u64 v;
	memset(a, 0x11, sizeof(a));
	if (!tm_boot(&m, guest, NULL, 1) || !tm_boot(&h, milan, "msr c0010010 0000000000f40000\n", 1))
		return;
	EXPECT(tm_rd(&m, 0, MSR_AMD64_SEV, &v) == 0 && v == 7, "SEV-SNP guest: SEV_STATUS = SEV|SEV-ES|SEV-SNP");
	EXPECT(tm_rd(&m, 0, MSR_AMD64_SYSCFG, &v) == X86_TRAP_GP, "SEV-SNP guest: SYSCFG #GP");
	m.p.mem_write(m.p.ctx, 0x4000 | CBIT, a, 64);
	m.p.wbinvd(m.p.ctx);
	m.p.mem_raw_read(m.p.ctx, 0x4000, r, 64);
	h.p.mem_write(h.p.ctx, 0x4000 | CBIT, a, 64);
	h.p.wbinvd(h.p.ctx);
	h.p.mem_raw_read(h.p.ctx, 0x4000, rh, 64);
	EXPECT(memcmp(a, r, 64) && memcmp(r, rh, 64),
	       "SEV guest C=1 is encrypted with the guest key, not the host key");
	tm_free(&m);
	tm_free(&h);
}

/* AMD known answer (docs/model.md: XTS-AES-128 under the SME key K1 || K2,
 * one 16-byte data unit per block, tweak = the block's physical address
 * without the C-bit, mc_model_tweak): the model's C=1 DRAM bytes equal
 * software XTS under that rule, and four wrong rules do not match - so a
 * 64-byte-unit engine, or one tweaking by PA >> 4, is caught. */
static bool amd_rule(const u8 *key, const u8 *pt, const u8 *dram, u64 pa, size_t len, int rule)
{
	struct xts_ctx ctx;
	u8 k[32], tw[16], out[256];
	memcpy(k, key, 32);
	if (rule == 4) {   /* key halves swapped */
		memcpy(k, key + 16, 16);
		memcpy(k + 16, key, 16);
	}
	if (xts_init(&ctx, k, 32, XTS_ENCRYPT, XTS_BACKEND_CT64))
		return false;
	size_t unit = rule == 1 ? 64 : 16;
	for (size_t off = 0; off < len; off += unit) {
		u64 upa = pa + off;
		if (rule == 2)
			xts_tweak_from_seq(upa >> 4, tw);
		else if (rule == 3)
			mc_model_tweak(upa | CBIT, tw);
		else
			mc_model_tweak(upa, tw);
		xts_encrypt(&ctx, tw, pt + off, out + off, unit);
	}
	xts_wipe(&ctx);
	return !memcmp(out, dram, len);
}

TEST(model, amd_known_answer)
{
	struct tm m;
	u8 pt[256], dram[256];
	for (int i = 0; i < 256; i++)
		pt[i] = (u8)(i * 7 + 3);
	if (!tm_boot(&m, milan, "msr c0010010 0000000000f40000\nmsr c0010131 0\n", 7))
		return;
	const u8 *key = ((struct mc_model_state *)m.state)->amd_host_key;
	m.p.mem_write(m.p.ctx, 0x6000 | CBIT, pt, sizeof(pt));
	m.p.wbinvd(m.p.ctx);
	m.p.mem_raw_read(m.p.ctx, 0x6000, dram, sizeof(dram));
	EXPECT(amd_rule(key, pt, dram, 0x6000, sizeof(pt), 0),
	       "C=1 DRAM bytes = XTS-AES-128(SME key) per 16-byte unit, tweak = PA without the C-bit (docs/model.md)");
	static const char *wrong[] = { NULL, "64-byte units", "tweak = PA >> 4", "tweak with the C-bit", "key halves swapped" };
	int matched = 0;
	for (int r = 1; r <= 4; r++) {
		bool hit = amd_rule(key, pt, dram, 0x6000, sizeof(pt), r);
		matched += hit;
		EXPECT(!hit, "wrong rule '%s' does not match the model's DRAM", wrong[r]);
	}
	EXPECT(matched == 0, "0 of 4 wrong rules match (the check can fail)");
	tm_free(&m);
}
