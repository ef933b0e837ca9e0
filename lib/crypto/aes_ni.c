/* AES-NI key preparation and the single-block tweak encryption. */
#include "lib/crypto/aes_ni.h"

AESNI_TARGET void aesni_make_dec_keys(u8 dk[16 * 15], const u8 rk[16 * 15], int rounds)
{
	_mm_storeu_si128((__m128i *)dk, _mm_loadu_si128((const __m128i *)(rk + 16 * rounds)));
	for (int i = 1; i < rounds; i++) {
		__m128i k = _mm_loadu_si128((const __m128i *)(rk + 16 * (rounds - i)));
		_mm_storeu_si128((__m128i *)(dk + 16 * i), _mm_aesimc_si128(k));
	}
	_mm_storeu_si128((__m128i *)(dk + 16 * rounds), _mm_loadu_si128((const __m128i *)rk));
}

AESNI_TARGET void aesni_encrypt_block(const u8 *rk, int rounds, const u8 in[16], u8 out[16])
{
	_mm_storeu_si128((__m128i *)out, aesni_enc1_sched(rk, rounds, _mm_loadu_si128((const __m128i *)in)));
}
