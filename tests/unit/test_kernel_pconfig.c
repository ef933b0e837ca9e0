/* arch/x86/pconfig.c: the MKTME_KEY_PROGRAM_STRUCT builder (Intel seed
 * Table 6-4, 6.2.1.1.3/4), the names of Tables 6-5/6-6 and the KeyID sample
 * the kernel's pconfig suite programs. */
#include "tests/unit/harness.h"
#include "arch/x86/pconfig.h"
#include <stddef.h>
#include <string.h>

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

TEST(kernel_pconfig, struct_layout)
{
	EXPECT(sizeof(struct mktme_key_program) == 192,
	       "Table 6-4: the struct's fields span 192 bytes (got %zu)", sizeof(struct mktme_key_program));
	EXPECT(offsetof(struct mktme_key_program, keyid_ctrl) == 2 &&
	       offsetof(struct mktme_key_program, rsvd) == 6 &&
	       offsetof(struct mktme_key_program, key_field_1) == 64 &&
	       offsetof(struct mktme_key_program, key_field_2) == 128,
	       "Table 6-4 offsets: KEYID_CTRL 2, RSVD 6, KEY_FIELD_1 64, KEY_FIELD_2 128");
}

TEST(kernel_pconfig, build_direct)
{
	struct mktme_key_program s;
	unsigned char k1[32], k2[32];
	memset(k1, 0xa5, sizeof(k1));
	memset(k2, 0x5a, sizeof(k2));
	memset(&s, 0xff, sizeof(s));

	mktme_prog_build(&s, 7, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, k1, k2);
	EXPECT(s.keyid == 7 && s.keyid_ctrl == 0x100, "KEYID 7, KEYID_CTRL = DIRECT(0) | AES-XTS-128(1)<<8 = 0x100 (got 0x%x)",
	       s.keyid_ctrl);
	EXPECT(all_zero(s.rsvd, sizeof(s.rsvd)), "RSVD zeroed over a struct that was all ones");
	EXPECT(!memcmp(s.key_field_1, k1, 16) && all_zero(s.key_field_1 + 16, 48) &&
	       !memcmp(s.key_field_2, k2, 16) && all_zero(s.key_field_2 + 16, 48),
	       "AES-XTS-128: 16 key bytes per field, upper 48 bytes zero (6.2.1.1.3)");

	mktme_prog_build(&s, 63, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_256, k1, k2);
	EXPECT(s.keyid_ctrl == 0x400 && !memcmp(s.key_field_1, k1, 32) && all_zero(s.key_field_1 + 32, 32) &&
	       !memcmp(s.key_field_2, k2, 32) && all_zero(s.key_field_2 + 32, 32),
	       "AES-XTS-256: KEYID_CTRL 0x400, 32 key bytes per field, upper 32 bytes zero (6.2.1.1.4)");
}

TEST(kernel_pconfig, build_clear_carries_no_key)
{
	struct mktme_key_program s;
	unsigned char k[32];
	memset(k, 0x11, sizeof(k));
	mktme_prog_build(&s, 3, MKTME_KEYID_CLEAR_KEY, MKTME_AES_XTS_256, k, k);
	EXPECT(s.keyid_ctrl == 0x402 && all_zero(s.key_field_1, 64) && all_zero(s.key_field_2, 64),
	       "CLEAR_KEY keeps the algorithm (6.2.1.1.2: required for every command) and no key bytes");
	mktme_prog_build(&s, 3, MKTME_KEYID_NO_ENCRYPT, MKTME_AES_XTS_128, k, k);
	EXPECT(s.keyid_ctrl == 0x103 && all_zero(s.key_field_1, 64), "NO_ENCRYPT: KEYID_CTRL 0x103, no key bytes");
	mktme_prog_build(&s, 3, 0x1ff, 0x1ffff, NULL, NULL);
	EXPECT(!(s.keyid_ctrl & MKTME_KEYID_CTRL_RSVD_MASK), "out-of-range command/alg never reach KEYID_CTRL bits 31:24");
}

TEST(kernel_pconfig, names)
{
	EXPECT(mktme_key_half(MKTME_AES_XTS_128) == 16 && mktme_key_half(MKTME_AES_XTS_256) == 32 &&
	       mktme_key_half(0) == 0 && mktme_key_half(5) == 0 && mktme_key_half(2) == 0,
	       "key half: 16 / 32 bytes, 0 for no bit, two bits or an unknown bit");
	EXPECT(!strcmp(mktme_status_name(0), "PROG_SUCCESS") && !strcmp(mktme_status_name(2), "ENTROPY_ERROR") &&
	       !strcmp(mktme_status_name(5), "DEVICE_BUSY") && !strcmp(mktme_status_name(6), "status?"),
	       "Table 6-6 names, and an unknown status is not given one");
	EXPECT(!strcmp(mktme_cmd_name(3), "KEYID_NO_ENCRYPT") && !strcmp(mktme_cmd_name(4), "command?"),
	       "Table 6-5 names");
	unsigned int algs[16];
	unsigned int n = mktme_algs_list(0x5, algs);
	EXPECT(n == 2 && algs[0] == MKTME_AES_XTS_128 && algs[1] == MKTME_AES_XTS_256,
	       "MK_TME_CRYPTO_ALGS 0x5 lists AES-XTS-128 then AES-XTS-256 (got %u)", n);
}

TEST(kernel_pconfig, keyid_sample)
{
	unsigned int out[64];
	unsigned int n = mktme_keyid_sample(63, 64, out);
	bool ok = n == 63;
	for (unsigned int i = 0; ok && i < n; i++)
		ok = out[i] == i + 1;
	EXPECT(ok, "63 KeyIDs within a limit of 64: every KeyID 1..63 in order (got %u)", n);

	n = mktme_keyid_sample(1023, 64, out);
	ok = n == 64 && out[0] == 1 && out[15] == 16 && out[48] == 1008 && out[63] == 1023;
	for (unsigned int i = 1; ok && i < n; i++)
		ok = out[i] > out[i - 1] && out[i] >= 1 && out[i] <= 1023;
	EXPECT(ok, "1023 KeyIDs, limit 64: 64 ascending distinct KeyIDs, 1..16 and 1008..1023 included");

	n = mktme_keyid_sample(65, 64, out);
	ok = n == 64;
	for (unsigned int i = 1; ok && i < n; i++)
		ok = out[i] > out[i - 1] && out[i] <= 65;
	EXPECT(ok && out[63] == 65, "65 KeyIDs, limit 64: still distinct, the top KeyID 65 included");
}
