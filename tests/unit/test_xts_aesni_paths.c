/* aesni has two batch loops, chosen at setup by CPU vendor (xts_aesni.c):
 * the AMD one (aesni_x8 = 0: Gueron's chain, two steps between rounds from
 * round (rounds + 2) / 4) and the Intel one (aesni_x8 = 1: each lane times
 * x^8 by PCLMULQDQ). A CPU runs only one of them, so each machine kind's CI
 * would test only its own: here both are forced in turn on the same CPU
 * and must equal ct64 (which the IEEE 1619 and CAVP vectors pin) on every
 * unit length from 1 to 70 blocks, with and without ciphertext stealing,
 * in place and not, both directions, both key sizes. */
#include "tests/unit/harness.h"
#include "lib/crypto/xts.h"
#include "lib/crypto/xts_backend.h"
#include "lib/mem.h"

#define MAX_LEN (70 * 16 + 15)

static u8 plain[MAX_LEN], ref[MAX_LEN], out[MAX_LEN], back[MAX_LEN];

static int compare_path(int x8, int key_bytes, int *cases)
{
	u8 key[64], tweak[16];
	for (int i = 0; i < 64; i++)
		key[i] = (u8)(i * 29 + 7 + key_bytes);
	for (int i = 0; i < MAX_LEN; i++)
		plain[i] = (u8)(i * 131 + (i >> 8) + 3);
	struct xts_ctx a, c;
	if (xts_init(&a, key, (size_t)key_bytes, XTS_ENCRYPT | XTS_DECRYPT, XTS_BACKEND_AESNI) != XTS_OK ||
	    xts_init(&c, key, (size_t)key_bytes, XTS_ENCRYPT | XTS_DECRYPT, XTS_BACKEND_CT64) != XTS_OK)
		return -1;
	((struct xts_state *)a.opaque)->aesni_x8 = (u8)x8;
	int bad = 0;
	for (size_t len = 16; len <= MAX_LEN; len += (len < 16 * 24 ? 1 : 7)) {
		for (int i = 0; i < 16; i++)
			tweak[i] = (u8)(len * 3 + i);
		bool ok = xts_encrypt(&c, tweak, plain, ref, len) == XTS_OK &&
			  xts_encrypt(&a, tweak, plain, out, len) == XTS_OK &&
			  mc_memcmp(out, ref, len) == 0 &&
			  xts_decrypt(&a, tweak, out, back, len) == XTS_OK &&
			  mc_memcmp(back, plain, len) == 0;
		/* in place: the loops read a batch before they write it */
		mc_memcpy(out, plain, len);
		ok = ok && xts_encrypt(&a, tweak, out, out, len) == XTS_OK && mc_memcmp(out, ref, len) == 0 &&
		     xts_decrypt(&a, tweak, out, out, len) == XTS_OK && mc_memcmp(out, plain, len) == 0;
		bad += !ok;
		(*cases)++;
	}
	xts_wipe(&a);
	xts_wipe(&c);
	return bad;
}

TEST(xts, aesni_both_batch_loops)
{
	if (!xts_backend_supported(XTS_BACKEND_AESNI)) {
		SKIP("aesni: AMD and Intel batch loops not compared (%s)", xts_backend_missing(XTS_BACKEND_AESNI));
		return;
	}
	static const char *const loop[2] = { "AMD loop (aesni_x8=0, chain between the rounds)",
					     "Intel loop (aesni_x8=1, x^8 per lane by PCLMULQDQ)" };
	for (int x8 = 0; x8 < 2; x8++) {
		for (int kb = 32; kb <= 64; kb += 32) {
			int cases = 0, bad = compare_path(x8, kb, &cases);
			EXPECT(bad == 0, "aesni %s, XTS-AES-%d: equals ct64 on %d unit lengths 16..%d bytes, encrypt, decrypt and in place (%d differed)",
			       loop[x8], kb * 4, cases, MAX_LEN, bad);
		}
	}
}
