/* Scale (issue 14 item 7): the two-socket, 256-CPU, 15-KeyID-bit
 * profiles load with a memory map of up to 1 TiB that the model stores
 * sparse (lib/model/state.h): only written pages cost memory, never-written
 * pages read as zeros, a full pool refuses a write whole; RAM past the
 * bits the active KeyIDs leave aliases lower DRAM (Intel seed 5.1); and
 * the pconfig suite's line states its KeyID sample. */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include "lib/model/state.h"
#include "arch/x86/pconfig.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sapphire Rapids-class CPUID, MAXPHYADDR 52, CAPABILITY 15 KeyID bits,
 * 32767 keys (as profiles/scale-2s-256-*.prof). */
#define SPR_2S \
	"cpus 256\npackages 2\n" \
	"cpuid 0 0 00000020 756e6547 6c65746e 49656e69\n" \
	"cpuid 7 0 00000002 f3bfbfbf 40417f5e bc040412\n" \
	"cpuid 1b 0 00000001 00000001 00000000 00000000\n" \
	"cpuid 80000000 0 80000008 00000000 00000000 00000000\n" \
	"cpuid 80000008 0 00003934 00000000 00000000 00000000\n" \
	"msr 981 0007ffff80000005\nmsr 983 0\nmsr 984 0\n"
#define LOCKED_12 "msr 982 0005000c00000023\nmsr 9ff 0000000c00000000\n"

static int init_err(const char *text, char *err, size_t errlen)
{
	static struct mc_profile p;
	if (mc_profile_parse(&p, text, strlen(text), "t", err, errlen))
		return -2;
	size_t size = mc_model_state_size(&p);
	void *st = malloc(size ? size : 1);
	int rc = mc_model_init(st, size, &p, 1, err, errlen);
	free(st);
	return rc;
}

/* Intel seed 5.1: the KeyID takes PA bits from MAXPHYADDR down. A box may
 * hold more RAM than 2^(MAXPHYADDR - MK_TME_MAX_KEYID_BITS) (a 1 TiB
 * Sapphire Rapids has 15 bits to give but keeps 12); the model boots it as
 * the box does, and once KeyID bits are active the RAM above
 * 2^(MAXPHYADDR - bits) is unreachable: a PA there names a KeyID and a
 * lower DRAM address (tme.ram_addressable FAILs such a lock). */
TEST(model_scale, keyid_bits_alias_the_map)
{
	char err[256] = "";
	EXPECT(init_err(SPR_2S "memory 128G\nmsr 982 0\nmsr 9ff 0\n", err, sizeof(err)) == 0,
	       "2 x 128 CPUs, 15 KeyID bits unactivated, memory 128G (= 2^(52-15)) boots (%s)", err);
	err[0] = 0;
	EXPECT(init_err(SPR_2S "memory 1T\nmsr 982 0\nmsr 9ff 0\n", err, sizeof(err)) == 0,
	       "memory 1T with all 15 KeyID bits still activatable boots, as the box does (%s)", err);
	err[0] = 0;
	EXPECT(init_err(SPR_2S "memory 1T\n" LOCKED_12, err, sizeof(err)) == 0,
	       "memory 1T with the BIOS's lock on 12 KeyID bits (PA bits 51:40) boots (%s)", err);

	/* 13 bits locked over 1 TiB: PA bits 51:39 are the KeyID, so the PA
	 * 1 TiB - 4 KiB is KeyID 1 at DRAM 512 GiB - 4 KiB. */
	struct tm m;
	if (!tm_boot(&m, SPR_2S "memory 1T\nmsr 982 0005000d00000023\nmsr 9ff 0000000d00000000\n", NULL, 9))
		return;
	struct tm_pc pc;
	u64 rax; bool zf;
	tm_pc_direct(&pc, 1, 0x33, 0x44);
	EXPECT(tm_pconfig(&m, &pc, &rax, &zf) == 0 && rax == 0, "13 bits locked over 1 TiB: PCONFIG DIRECT on KeyID 1");
	pc.cpu = 128;
	EXPECT(tm_pconfig(&m, &pc, &rax, &zf) == 0 && rax == 0, "and on a CPU of package 1");
	u64 high = (1ULL << 40) - MC_MODEL_PAGE, low = (1ULL << 39) - MC_MODEL_PAGE;
	u8 data[64], raw[64], zero[64] = { 0 };
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 5 + 1);
	EXPECT(m.p.mem_write(m.p.ctx, high, data, sizeof(data)) == 0, "a write at PA 1 TiB - 4 KiB is accepted");
	m.p.wbinvd(m.p.ctx);
	struct mc_model_state *s = m.state;
	EXPECT(s->pages_used == 1 && st_dram_page(s, low, false) && !st_dram_page(s, high, false),
	       "it landed in DRAM at 512 GiB - 4 KiB, not at 1 TiB - 4 KiB (pages stored: %u)", s->pages_used);
	EXPECT(m.p.mem_raw_read(m.p.ctx, low, raw, sizeof(raw)) == 0 && memcmp(raw, data, sizeof(data)) &&
	       memcmp(raw, zero, sizeof(zero)), "and as KeyID 1's ciphertext: the PA's bit 39 was a KeyID bit");
	tm_free(&m);
}

TEST(model_scale, shipped_scale_profiles)
{
	static const struct { const char *name; u64 memory; u32 bits_active, keyids; } want[] = {
		{ "scale-2s-256-15bit", 128ULL << 30, 0, 32767 },
		{ "scale-2s-256-1t", 1ULL << 40, 12, 4095 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		char path[128], err[256] = "";
		static char text[16384];
		static struct mc_profile p;
		snprintf(path, sizeof(path), "profiles/%s.prof", want[i].name);
		FILE *f = fopen(path, "rb");
		if (!f) {
			SKIP("model_scale: %s not found (run from the repository root)", path);
			continue;
		}
		size_t n = fread(text, 1, sizeof(text), f);
		fclose(f);
		int rc = mc_profile_parse(&p, text, n, path, err, sizeof(err));
		size_t size = rc ? 0 : mc_model_state_size(&p);
		void *st = size ? malloc(size) : NULL;
		struct mc_model_info mi = { 0 };
		bool ok = st && !mc_model_init(st, size, &p, 1, err, sizeof(err)) && !mc_model_info(st, &mi);
		EXPECT(ok && mi.cpus == 256 && mi.packages == 2 && mi.dram_size == want[i].memory && mi.dram_sparse &&
		       mi.keyid_bits == want[i].bits_active && mi.dram_pages_stored == 0,
		       "%s: 256 CPUs in 2 packages, memory map %llu GiB modelled sparse, %u KeyID bits active at reset (%s)",
		       path, (unsigned long long)(want[i].memory >> 30), want[i].bits_active, ok ? "ok" : err);
		/* The state is the key tables (2 x 32768 entries), the CPUs and
		 * the 16 MiB pool: never the memory map. */
		EXPECT(size < (24u << 20) && size > (u64)MC_MODEL_SPARSE_PAGES * MC_MODEL_PAGE,
		       "%s: the state blob is %zu KiB (< 24 MiB: pool + key tables), not the memory map", path, size >> 10);
		free(st);
	}
}

/* Through KeyID 1 with a DIRECT key on a 1 TiB map: the last page of
 * package 1's slice is stored as ciphertext, read back, counted. */
TEST(model_scale, sparse_dram)
{
	struct tm m;
	if (!tm_boot(&m, SPR_2S "memory 1T\n" LOCKED_12, NULL, 7))
		return;
	struct mc_model_state *s = m.state;
	struct tm_pc pc;
	u64 rax; bool zf;
	tm_pc_direct(&pc, 1, 0x11, 0x22);
	pc.cpu = 128;                                    /* a CPU of package 1 */
	EXPECT(tm_pconfig(&m, &pc, &rax, &zf) == 0 && rax == 0, "PCONFIG DIRECT on KeyID 1, package 1: PROG_SUCCESS");
	pc.cpu = 0;
	EXPECT(tm_pconfig(&m, &pc, &rax, &zf) == 0 && rax == 0, "PCONFIG DIRECT on KeyID 1, package 0: PROG_SUCCESS");

	u64 top = (1ULL << 40) - MC_MODEL_PAGE, tagged = top | 1ULL << 40;   /* KeyID 1 at PA bit 40 */
	u8 data[256], back[256], raw[256], zero[256] = { 0 };
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + 3);
	EXPECT(m.p.mem_write(m.p.ctx, tagged, data, sizeof(data)) == 0, "write 256 bytes through KeyID 1 at 1 TiB - 4 KiB");
	m.p.wbinvd(m.p.ctx);
	EXPECT(m.p.mem_read(m.p.ctx, tagged, back, sizeof(back)) == 0 && !memcmp(back, data, sizeof(data)),
	       "read back through KeyID 1 after WBINVD: the pattern");
	EXPECT(m.p.mem_raw_read(m.p.ctx, top, raw, sizeof(raw)) == 0 && memcmp(raw, data, sizeof(data)) &&
	       memcmp(raw, zero, sizeof(zero)), "DRAM at 1 TiB - 4 KiB holds ciphertext (neither the pattern nor zeros)");
	EXPECT(m.p.mem_raw_read(m.p.ctx, 600ULL << 30, raw, sizeof(raw)) == 0 && !memcmp(raw, zero, sizeof(zero)),
	       "a page never written (600 GiB) reads as zeros, raw");
	EXPECT(s->pages_used == 1, "exactly 1 page stored after writing one page's worth (got %u)", s->pages_used);
	EXPECT(m.p.mem_raw_read(m.p.ctx, 1ULL << 52, raw, 16) == MC_PLAT_EINVAL,
	       "an address at 2^52 (above MAXPHYADDR) -> MC_PLAT_EINVAL");
	EXPECT(m.p.mem_raw_read(m.p.ctx, (1ULL << 40) - 8, raw, 16) == MC_PLAT_EINVAL,
	       "a read running past the 1 TiB map -> MC_PLAT_EINVAL");
	tm_free(&m);
}

/* The pool holds MC_MODEL_SPARSE_PAGES pages: the next new page is
 * refused whole, and what was stored stays. KeyID 0 on an unactivated
 * profile: plaintext, so this costs no AES. */
TEST(model_scale, sparse_pool_full)
{
	struct tm m;
	if (!tm_boot(&m, SPR_2S "memory 128G\nmsr 982 0\nmsr 9ff 0\n", NULL, 7))
		return;
	int bad = 0;
	for (u32 i = 0; i < MC_MODEL_SPARSE_PAGES; i++) {
		u8 b = (u8)(i | 1);
		bad += m.p.mem_write(m.p.ctx, (u64)i * (16ULL << 20) + 8, &b, 1) != 0;   /* 16 MiB apart */
	}
	EXPECT(bad == 0, "%u pages 16 MiB apart each take a one-byte write (%d refused)", MC_MODEL_SPARSE_PAGES, bad);
	u8 two[2] = { 0xaa, 0xbb }, got = 0;
	u64 last = (u64)(MC_MODEL_SPARSE_PAGES - 1) * (16ULL << 20);
	int rc = m.p.mem_write(m.p.ctx, last + MC_MODEL_PAGE - 1, two, 2);   /* a stored page and a new one */
	EXPECT(rc == MC_PLAT_ENOMEM, "a write that needs page %u of a %u-page pool -> MC_PLAT_ENOMEM (got %d)",
	       MC_MODEL_SPARSE_PAGES + 1, MC_MODEL_SPARSE_PAGES, rc);
	m.p.wbinvd(m.p.ctx);
	rc = m.p.mem_raw_read(m.p.ctx, last + MC_MODEL_PAGE - 1, &got, 1);
	EXPECT(rc == 0 && got == 0, "the refused write changed nothing, not even its first byte on the stored page (got 0x%02x)", got);
	rc = m.p.mem_raw_read(m.p.ctx, last + 8, &got, 1);
	EXPECT(rc == 0 && got == (u8)((MC_MODEL_SPARSE_PAGES - 1) | 1),
	       "the last stored page still holds its byte (0x%02x, expected 0x%02x)", got,
	       (u8)((MC_MODEL_SPARSE_PAGES - 1) | 1));
	tm_free(&m);
}

TEST(model_scale, sample_text)
{
	char buf[120];
	EXPECT(!strcmp(mktme_keyid_sample_text(32767, 64, buf, sizeof(buf)),
		       "64 of 32767 KeyIDs (sampled: 1..16, 32752..32767, 32 spread between)"),
	       "32767 KeyIDs, limit 64: the line says '%s'", buf);
	EXPECT(!strcmp(mktme_keyid_sample_text(4095, 64, buf, sizeof(buf)),
		       "64 of 4095 KeyIDs (sampled: 1..16, 4080..4095, 32 spread between)"),
	       "4095 KeyIDs, limit 64: the line says '%s'", buf);
	EXPECT(!strcmp(mktme_keyid_sample_text(63, 64, buf, sizeof(buf)), "all 63 KeyIDs (1..63)"),
	       "63 KeyIDs, limit 64: not sampled, the line says '%s'", buf);
	/* The text describes the sample the suite really programs. */
	unsigned int ids[64];
	unsigned int n = mktme_keyid_sample(32767, 64, ids);
	EXPECT(n == 64 && ids[0] == 1 && ids[15] == 16 && ids[48] == 32752 && ids[63] == 32767 &&
	       ids[16] > 16 && ids[47] < 32752, "mktme_keyid_sample(32767, 64) is 1..16, 32 between, 32752..32767");
}
