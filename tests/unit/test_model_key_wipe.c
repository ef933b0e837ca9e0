/* The model's key material after CLEAR_KEY (issue 13, key hygiene): a
 * KeyID programmed with a DIRECT key, used through the memory engine
 * (expanded keys in the engine's slots, written-back lines), then cleared
 * and flushed, leaves none of its key's bytes anywhere in the state blob.
 * Searched raw, 8 bytes at a time, before (the test can see them) and
 * after (they must be gone). */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include <string.h>

static const u8 k1[16] = { 0xc3, 0xa1, 0xf0, 0x0d, 0xba, 0xbe, 0x5e, 0xed, 0x0b, 0xad, 0xca, 0xfe, 0x12, 0x34, 0x56, 0x78 };
static const u8 k2[16] = { 0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15, 0xf3, 0x9c, 0xc0, 0x60, 0x5c, 0xed, 0xc8, 0x34 };

/* How many of the 18 8-byte windows of k1 and k2 occur in the blob. */
static int windows_in(const struct tm *m)
{
	const u8 *b = m->state;
	int found = 0;
	for (int w = 0; w < 18; w++) {
		const u8 *pat = w < 9 ? k1 + w : k2 + (w - 9);
		for (size_t i = 0; i + 8 <= m->size; i++)
			if (b[i] == pat[0] && !memcmp(b + i, pat, 8)) {
				found++;
				break;
			}
	}
	return found;
}

TEST(model, clear_key_leaves_no_key_bytes)
{
	struct tm m;
	struct tm_pc pc;
	u64 rax, pa = mc_keyid_pa(0x3000, 1, 46, 6);
	bool zf;
	u8 buf[64];

	if (!tm_boot(&m, tm_icelake, "memory 256K\n", 7)) {
		EXPECT(false, "boot for the key-wipe test");
		return;
	}
	EXPECT(!tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME), "MKTME activated");
	memset(&pc, 0, sizeof(pc));
	pc.keyid = 1;
	pc.ctrl = MKTME_KEYID_CTRL(MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128);
	memcpy(pc.key1, k1, 16);
	memcpy(pc.key2, k2, 16);
	int rc = tm_pconfig(&m, &pc, &rax, &zf);
	EXPECT(!rc && rax == MKTME_PROG_SUCCESS, "KeyID 1 DIRECT (fault %d, status %llu)", rc, (unsigned long long)rax);
	memset(buf, 0x42, sizeof(buf));
	m.p.mem_write(m.p.ctx, pa, buf, sizeof(buf));
	m.p.wbinvd(m.p.ctx);
	m.p.mem_read(m.p.ctx, pa, buf, sizeof(buf));
	int before = windows_in(&m);
	EXPECT(before > 0, "the live key is visible in the state (%d of 18 windows): the search can find it", before);

	pc.ctrl = MKTME_KEYID_CTRL(MKTME_KEYID_CLEAR_KEY, MKTME_AES_XTS_128);
	memset(pc.key1, 0, sizeof(pc.key1));
	memset(pc.key2, 0, sizeof(pc.key2));
	rc = tm_pconfig(&m, &pc, &rax, &zf);
	EXPECT(!rc && rax == MKTME_PROG_SUCCESS, "KeyID 1 CLEAR_KEY (fault %d, status %llu)", rc, (unsigned long long)rax);
	m.p.wbinvd(m.p.ctx);
	int after = windows_in(&m);
	EXPECT(after == 0, "after CLEAR_KEY and WBINVD no 8 bytes of the old key remain in the state "
	       "(key table, engine slots, cache lines: %d of 18 windows found)", after);
	tm_free(&m);
}
