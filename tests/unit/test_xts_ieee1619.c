/* XTS-AES against the 19 IEEE Std 1619-2007 Annex B vectors, every backend,
 * both directions (IEEE 1619 5.3 encryption, 5.4 decryption; 5.3.2/5.4.2
 * ciphertext stealing in vectors 15-18). */
#include "tests/unit/harness.h"
#include "tests/unit/test_xts_util.h"
#include "tests/unit/test_xts_ieee1619_vectors.h"

static unsigned char vec_ct[20][520];

/* The plaintext of vector v: hex, the 00..ff pattern, or an earlier CT. */
static size_t vector_pt(const struct ieee1619_vector *v, unsigned char *pt, size_t ctlen)
{
	if (!strcmp(v->pt, "PATTERN")) {
		for (size_t i = 0; i < 512; i++)
			pt[i] = (unsigned char)i;
		return 512;
	}
	if (!strncmp(v->pt, "CT", 2)) {
		memcpy(pt, vec_ct[atoi(v->pt + 2)], ctlen);
		return ctlen;
	}
	return test_unhex(v->pt, pt, 520);
}

TEST(xts, ieee1619_annex_b)
{
	for (int be = XTS_BACKEND_CT64; be < XTS_BACKEND_COUNT; be++) {
		const char *name = xts_backend_name(be);
		if (!xts_backend_supported(be)) {
			SKIP("%s: IEEE 1619 Annex B vectors not run (%s)", name, test_backend_missing(be));
			continue;
		}
		for (size_t n = 0; n < ARRAY_SIZE(ieee1619); n++) {
			const struct ieee1619_vector *v = &ieee1619[n];
			unsigned char key[64], tweak[16], pt[520], ct[520], out[520];
			size_t klen = test_unhex(v->key, key, sizeof(key));
			test_unhex(v->tweak, tweak, 16);
			size_t clen = test_unhex(v->ct, ct, sizeof(ct));
			memcpy(vec_ct[v->num], ct, clen);
			size_t plen = vector_pt(v, pt, clen);
			struct xts_ctx ctx;

			int rd = xts_init(&ctx, key, klen, XTS_DECRYPT, be);
			bool dec_ok = rd == XTS_OK && xts_decrypt(&ctx, tweak, ct, out, clen) == XTS_OK &&
				      !memcmp(out, pt, plen);
			xts_wipe(&ctx);
			int re = xts_init(&ctx, key, klen, XTS_ENCRYPT, be);
			if (v->num == 1) {
				/* Key1 == Key2: a decrypt-only known answer */
				EXPECT(plen == clen && dec_ok && re == XTS_ERR_WEAK_KEY,
				       "%s: IEEE 1619 vector 1 (Key1 == Key2): decrypts to the published "
				       "plaintext, encryption refused with XTS_ERR_WEAK_KEY (rc %d)", name, re);
				continue;
			}
			bool enc_ok = re == XTS_OK && xts_encrypt(&ctx, tweak, pt, out, plen) == XTS_OK &&
				      !memcmp(out, ct, clen);
			xts_wipe(&ctx);
			EXPECT(plen == clen && enc_ok && dec_ok,
			       "%s: IEEE 1619 vector %d (XTS-AES-%zu, %zu bytes%s) encrypts and decrypts",
			       name, v->num, klen * 4, plen, plen % 16 ? ", ciphertext stealing" : "");
		}
	}
}
