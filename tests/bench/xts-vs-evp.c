/* xts-vs-evp: memcrypt's XTS backends against libcrypto's EVP aes-N-xts in
 * one process (scripts/bench-xts-evp builds and runs it). Why beside
 * scripts/bench-xts: on a shared 2-vCPU host one timing next to another
 * taken a second later can be 2x apart, because a neighbour on the core's
 * SMT sibling comes and goes. Here both sides run the same key, tweak and
 * buffers, alternating in samples of 8 data units, and each keeps its
 * minimum TSC cycles over REPS samples: the minimum is what the code costs
 * when nothing interferes, and both sides had the same chances to see it.
 * Like with like: EVP_CipherUpdate per unit (the IV set once, as in
 * `openssl speed`), xts_encrypt/xts_decrypt per unit (tweak encrypted in
 * each call).
 * Before timing, every backend's output equals EVP's on every length
 * 16..300 and on the timed unit sizes, both directions; a mismatch is a
 * FAIL line and exit status 1.
 * usage: xts-vs-evp REPS BACKEND...   (rows: KEY DIR UNIT BACKEND c/B, EVP c/B, ratio) */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "lib/crypto/xts.h"

#define SAMPLE_UNITS 8
#define MAX_UNIT 65536

static const size_t units[] = { 512, 4096, 65536 };
static unsigned char in[MAX_UNIT], out_mc[MAX_UNIT], out_evp[MAX_UNIT];

static const EVP_CIPHER *cipher(int bits)
{
	return bits == 128 ? EVP_aes_128_xts() : EVP_aes_256_xts();
}

static int evp_unit(EVP_CIPHER_CTX *c, const unsigned char *src, unsigned char *dst, size_t len)
{
	int outl;
	return EVP_CipherUpdate(c, dst, &outl, src, (int)len) == 1 && (size_t)outl == len;
}

static u64 cycles_now(void)
{
	_mm_lfence();
	u64 t = __rdtsc();
	_mm_lfence();
	return t;
}

/* Output of backend be equals EVP's for every length 16..300 and the timed
 * units, encrypt and decrypt (decrypt: EVP's ciphertext back). */
static int agrees(enum xts_backend be, int bits, const u8 *key, const u8 *tweak)
{
	struct xts_ctx x;
	EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new(), *d = EVP_CIPHER_CTX_new();
	int ok = xts_init(&x, key, bits / 4, XTS_ENCRYPT | XTS_DECRYPT, be) == XTS_OK &&
		 EVP_CipherInit_ex(e, cipher(bits), NULL, key, tweak, 1) == 1 &&
		 EVP_CipherInit_ex(d, cipher(bits), NULL, key, tweak, 0) == 1;
	for (size_t len = 16; ok && len <= 300 + 3; len++) {
		size_t n = len <= 300 ? len : units[len - 301];
		ok = evp_unit(e, in, out_evp, n) && xts_encrypt(&x, tweak, in, out_mc, n) == XTS_OK &&
		     !memcmp(out_mc, out_evp, n);
		ok = ok && xts_decrypt(&x, tweak, out_evp, out_mc, n) == XTS_OK && !memcmp(out_mc, in, n);
		ok = ok && evp_unit(d, out_evp, out_mc, n) && !memcmp(out_mc, in, n);
	}
	xts_wipe(&x);
	EVP_CIPHER_CTX_free(e);
	EVP_CIPHER_CTX_free(d);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc < 3 || atoi(argv[1]) < 1) {
		fprintf(stderr, "usage: xts-vs-evp REPS BACKEND...\n");
		return 2;
	}
	int reps = atoi(argv[1]), status = 0;
	u8 key[64], tweak[16];
	for (int i = 0; i < 64; i++)
		key[i] = (u8)(i * 37 + 11);   /* a fixed, non-secret benchmark key */
	for (int i = 0; i < 16; i++)
		tweak[i] = (u8)(i + 1);
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);

	for (int b = 2; b < argc; b++) {
		int be = xts_backend_from_name(argv[b]);
		if (be < 0 || !xts_backend_supported(be)) {
			printf("%s: UNAVAILABLE (%s)\n", argv[b], be < 0 ? "unknown backend" : xts_backend_missing(be));
			continue;
		}
		for (int bits = 128; bits <= 256; bits += 128) {
			if (!agrees(be, bits, key, tweak)) {
				printf("FAIL: xts-vs-evp: %s aes%d differs from EVP on lengths 16..300 or the timed units\n",
				       argv[b], bits);
				status = 1;
				continue;
			}
			for (int enc = 1; enc >= 0; enc--) {
				for (size_t ui = 0; ui < sizeof(units) / sizeof(units[0]); ui++) {
					size_t n = units[ui];
					struct xts_ctx x;
					EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
					xts_init(&x, key, bits / 4, enc ? XTS_ENCRYPT : XTS_DECRYPT, be);
					EVP_CipherInit_ex(c, cipher(bits), NULL, key, tweak, enc);
					u64 best_mc = ~0ULL, best_evp = ~0ULL;
					for (int k = 0; k < reps; k++) {
						u64 t0 = cycles_now();
						for (int s = 0; s < SAMPLE_UNITS; s++)
							evp_unit(c, in, out_evp, n);
						u64 t1 = cycles_now();
						for (int s = 0; s < SAMPLE_UNITS; s++)
							(enc ? xts_encrypt : xts_decrypt)(&x, tweak, in, out_mc, n);
						u64 t2 = cycles_now();
						if (t1 - t0 < best_evp)
							best_evp = t1 - t0;
						if (t2 - t1 < best_mc)
							best_mc = t2 - t1;
					}
					double cb_mc = (double)best_mc / (SAMPLE_UNITS * n);
					double cb_evp = (double)best_evp / (SAMPLE_UNITS * n);
					printf("aes%d %s %6zu %-8s %.3f c/B  evp %.3f c/B  %.2fx\n", bits,
					       enc ? "encrypt" : "decrypt", n, argv[b], cb_mc, cb_evp, cb_evp / cb_mc);
					xts_wipe(&x);
					EVP_CIPHER_CTX_free(c);
				}
			}
		}
	}
	return status;
}
