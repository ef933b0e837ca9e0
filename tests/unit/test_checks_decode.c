/* The decoders of lib/checks against every worked example and table row of
 * the seeds they implement, and the JSON writer's contract. */
#include "tests/unit/test_checks.h"
#include "tests/unit/harness.h"
#include "arch/x86/msr-index.h"
#include <string.h>

TEST(checks_decode, tme_capability_table_4_1)
{
	struct mc_tme_cap c;
	mc_decode_tme_cap(0x000003f680000005ULL, &c);
	EXPECT(c.aes_xts_128 && c.aes_xts_256 && c.bypass_supported && c.max_keyid_bits == 6 && c.max_keys == 63 && !c.reserved,
	       "Table 4-1 bits 0, 2, 31, 35:32, 50:36 of 0x000003f680000005");
	/* "4 bits allow for a max value of 15, which can address 32K keys";
	 * "Max value is 32K-1 keys". */
	mc_decode_tme_cap(0x0007ffff00000001ULL, &c);
	EXPECT(c.max_keyid_bits == 15 && c.max_keys == 32767 && mc_tme_keyids(15, 0) == 32767,
	       "Table 4-1 comments: 15 KeyID bits address 32K-1 keys (%u, %u)", c.max_keyid_bits, c.max_keys);
	mc_decode_tme_cap(BIT_ULL(1) | BIT_ULL(3) | BIT_ULL(30) | BIT_ULL(51) | BIT_ULL(63), &c);
	EXPECT(c.reserved == (BIT_ULL(1) | BIT_ULL(3) | BIT_ULL(30) | BIT_ULL(51) | BIT_ULL(63)),
	       "Table 4-1 reserved 1, 30:3, 63:51 all caught (0x%llx)", (unsigned long long)c.reserved);
}

TEST(checks_decode, tme_activate_table_4_2)
{
	struct mc_tme_activate a;
	mc_decode_tme_activate(0x000500088000002fULL, &a);
	EXPECT(a.locked && a.enabled && a.key_restore && a.save_key && a.policy == 2 && a.bypass &&
	       a.keyid_bits == 8 && a.crypto_algs == 5 && !a.reserved && !a.crypto_reserved,
	       "Table 4-2 every field of 0x000500088000002f");
	/* "Example: To support 255 keys, this field would be set to a value of 8." */
	EXPECT(mc_tme_keyids(8, 0) == 255, "Table 4-2 example: 8 KeyID bits support 255 keys (%u)", mc_tme_keyids(8, 0));
	EXPECT(mc_tme_keyids(8, 100) == 100 && mc_tme_keyids(0, 63) == 0,
	       "usable KeyIDs capped by MK_TME_MAX_KEYS; none without KeyID bits");
	/* "For example: 0000 - AES-XTS-128, 0010 - AES-XTS-256, Other values are invalid." */
	EXPECT(!strcmp(mc_tme_policy_name(0), "aes-xts-128") && !strcmp(mc_tme_policy_name(2), "aes-xts-256"),
	       "Table 4-2 policy example 0000 / 0010");
	int invalid = 0;
	for (u8 v = 0; v < 16; v++)
		invalid += mc_tme_policy_name(v) == NULL;
	EXPECT(invalid == 14, "Table 4-2: the other 14 policy values are invalid (%d)", invalid);
	mc_decode_tme_activate(BIT_ULL(8) | BIT_ULL(30) | BIT_ULL(36) | BIT_ULL(47) | BIT_ULL(49) | BIT_ULL(51) | BIT_ULL(63), &a);
	EXPECT(a.reserved == (BIT_ULL(8) | BIT_ULL(30) | BIT_ULL(36) | BIT_ULL(47)) &&
	       a.crypto_reserved == (BIT_ULL(49) | BIT_ULL(51) | BIT_ULL(63)),
	       "Table 4-2 reserved 30:8, 47:36 and crypto 49, 63:51");
}

/* Table 4-3's read-back rows, decoded. */
TEST(checks_decode, table_4_3_readbacks)
{
	static const struct { u64 v; bool locked, enabled, restore; const char *row; } rows[] = {
		{ 0x1, true, false, false, "enabled=0: xx01b, disabled and locked" },
		{ 0x3, true, true, false, "new key, RNG success: xx011b" },
		{ 0x0, false, false, false, "new key, RNG fail: xx000b" },
		{ 0x7, true, true, true, "restore, non-zero key: xx111b" },
		{ 0x4, false, false, true, "restore, zero key: xx100b" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct mc_tme_activate a;
		mc_decode_tme_activate(rows[i].v, &a);
		EXPECT(a.locked == rows[i].locked && a.enabled == rows[i].enabled && a.key_restore == rows[i].restore,
		       "Table 4-3 %s", rows[i].row);
	}
	struct mc_tme_cap cap;
	mc_decode_tme_cap(TME_CAP_AES_XTS_128, &cap);
	EXPECT(mc_tme_policy_supported(&cap, 0) && !mc_tme_policy_supported(&cap, 2) && !mc_tme_policy_supported(&cap, 1),
	       "Table 4-3: CAPABILITY[ACTIVATE[7:4]] must be 1 (policy 2 refused with only AES-XTS-128)");
	EXPECT(mc_tme_algs_unsupported(&cap, 0x5) == 0x4 && mc_tme_algs_unsupported(&cap, 0x1) == 0,
	       "Table 4-2 63:48 vs Table 4-1 2:0: bit 50 unsupported without capability bit 2");
}

TEST(checks_decode, exclusion_tables_4_5_4_6)
{
	struct mc_tme_exclusion e;
	mc_decode_tme_exclusion(0x3ffffff00800ULL, 0x100000ULL, 46, &e);
	EXPECT(e.enabled && e.contiguous && e.aligned && e.size == 0x100000 && e.base == 0x100000 && !e.reserved,
	       "1 MiB at 1 MiB with MAXPHYADDR 46 (size 0x%llx)", (unsigned long long)e.size);
	mc_decode_tme_exclusion(0x3fffc0000800ULL, 0x40000000ULL, 46, &e);
	EXPECT(e.contiguous && e.size == (1ULL << 30), "1 GiB mask (size 0x%llx)", (unsigned long long)e.size);
	mc_decode_tme_exclusion(0x3fffffd00800ULL, 0, 46, &e);
	EXPECT(!e.contiguous, "Table 4-6 note: a hole in the mask is not contiguous");
	mc_decode_tme_exclusion(0x3ffffff00800ULL, 0x80000ULL, 46, &e);
	EXPECT(!e.aligned, "base 512K is not aligned to a 1 MiB mask");
	mc_decode_tme_exclusion(0x3ffffff00000ULL | BIT_ULL(46) | 0x1, 0x100000ULL | 0xfff, 46, &e);
	EXPECT(!e.enabled && e.reserved == (BIT_ULL(46) | 0x1 | 0xfff),
	       "Tables 4-5/4-6: bits 10:0, 11:0 and 63:MAXPHYSADDR reserved (0x%llx)", (unsigned long long)e.reserved);
	mc_decode_tme_exclusion(0x3ffffff00800ULL, 0x100000ULL, 52, &e);
	EXPECT(!e.contiguous, "the same mask is not contiguous under MAXPHYADDR 52 (bits 51:46 clear)");
}

TEST(checks_decode, core_activate_table_4_4)
{
	struct mc_core_activate c;
	mc_decode_core_activate(0x0000000600000000ULL, &c);
	EXPECT(c.keyid_bits == 6 && !c.reserved, "Table 4-4 bits 35:32");
	mc_decode_core_activate(0x0000001600000001ULL, &c);
	EXPECT(c.keyid_bits == 6 && c.reserved == 0x0000001000000001ULL, "Table 4-4 reserved 31:0 and 63:36");
}

TEST(checks_decode, amd_8000001f)
{
	struct cpuid_regs r = { 0x3f, 51 | (5 << 6) | (4 << 12), 509, 1 };
	struct mc_amd_mem_encrypt e;
	mc_decode_amd_mem_encrypt(&r, &e);
	EXPECT(e.sme && e.sev && e.page_flush && e.sev_es && e.sev_snp && e.vmpl && e.c_bit == 51 && e.reduction == 5 &&
	       e.vmpls == 4 && e.encrypted_guests == 509 && e.min_sev_asid == 1,
	       "FACTS.md 0x8000001F: EAX bits 0-5, EBX 5:0, 11:6, 15:12, ECX, EDX");
	EXPECT(mc_cbit_pa(0xABCDE321ULL, 47) == 0x8000ABCDE321ULL && mc_cbit_pa(0xACACA321ULL, 47) == 0x8000ACACA321ULL,
	       "AMD seed SEV address translation example (C-bit 47)");
}

/* The JSON writer: escaping, and -1 rather than a cut object. */
TEST(checks_json, escaping_and_size)
{
	static struct mc_results res;
	static struct mc_facts f;
	static char buf[8192];
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&res, MC_STAGE_HOST);
	memset(&f, 0, sizeof(f));
	memcpy(f.vendor_id, "Odd\"Vendor\\", 12);
	mc_report(&res, MC_WARN, "x.y", "quote \" backslash \\ newline \n tab \t bell \a");
	int n = mc_checks_json(&f, &res, buf, sizeof(buf));
	EXPECT(n > 0 && (size_t)n == strlen(buf), "JSON written (%d bytes)", n);
	EXPECT(strstr(buf, "quote \\\" backslash \\\\ newline \\u000a tab \\u0009 bell \\u0007") != NULL,
	       "RFC 8259 escapes for quote, backslash and control characters");
	EXPECT(strstr(buf, "\"vendor_id\":\"Odd\\\"Vendor\\\\\"") != NULL, "vendor id escaped too");
	EXPECT(strstr(buf, "\"summary\":{\"pass\":0,\"fail\":0,\"warn\":1,\"skip\":0,\"info\":0}") != NULL, "summary counts");
	EXPECT(strstr(buf, "\"guest\":null") && strstr(buf, "\"policy\":null"), "absent values are null");
	int small = mc_checks_json(&f, &res, buf, (size_t)n);
	EXPECT(small == -1 && buf[0] == 0, "one byte short: -1 and no partial object");
	EXPECT(mc_checks_json(&f, &res, buf, (size_t)n + 1) == n, "exactly enough room succeeds");
}
