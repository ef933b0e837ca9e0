/* SHA-256 as FIPS 180-4 specifies it: constants 4.2.2, padding 5.1.1,
 * initial hash value 5.3.3, the compression 6.2.2. Written from the
 * standard, checked against its examples and coreutils' sha256sum
 * (tests/unit/test_sha256.c). */
#include "lib/crypto/sha256.h"
#include "lib/mem.h"

static const u32 K[64] = {   /* 4.2.2 */
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 ror(u32 x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(u32 h[8], const u8 *p)   /* 6.2.2 */
{
	u32 w[64];
	for (int t = 0; t < 16; t++)
		w[t] = (u32)p[4 * t] << 24 | (u32)p[4 * t + 1] << 16 | (u32)p[4 * t + 2] << 8 | p[4 * t + 3];
	for (int t = 16; t < 64; t++) {
		u32 s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
		u32 s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = s1 + w[t - 7] + s0 + w[t - 16];
	}
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int t = 0; t < 64; t++) {
		u32 t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
		u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void mc_sha256_init(struct mc_sha256 *c)
{
	static const u32 iv[8] = {   /* 5.3.3 */
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	mc_memset(c, 0, sizeof(*c));
	mc_memcpy(c->h, iv, sizeof(iv));
}

void mc_sha256_update(struct mc_sha256 *c, const void *data, size_t len)
{
	const u8 *p = data;
	c->bytes += len;
	while (len) {
		if (!c->fill && len >= 64) {
			compress(c->h, p);
			p += 64, len -= 64;
			continue;
		}
		size_t n = 64 - c->fill < len ? 64 - c->fill : len;
		mc_memcpy(c->block + c->fill, p, n);
		c->fill += (u32)n, p += n, len -= n;
		if (c->fill == 64) {
			compress(c->h, c->block);
			c->fill = 0;
		}
	}
}

void mc_sha256_final(struct mc_sha256 *c, u8 out[MC_SHA256_LEN])
{
	u64 bits = c->bytes * 8;
	/* 5.1.1: a 1 bit, zeros to 56 mod 64 bytes, the length big-endian. */
	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		mc_memset(c->block + c->fill, 0, 64 - c->fill);
		compress(c->h, c->block);
		c->fill = 0;
	}
	mc_memset(c->block + c->fill, 0, 56 - c->fill);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (u8)(bits >> (56 - 8 * i));
	compress(c->h, c->block);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (u8)(c->h[i] >> (24 - 8 * j));
	mc_wipe(c, sizeof(*c));
}

void mc_sha256(const void *data, size_t len, u8 out[MC_SHA256_LEN])
{
	struct mc_sha256 c;
	mc_sha256_init(&c);
	mc_sha256_update(&c, data, len);
	mc_sha256_final(&c, out);
}

void mc_sha256_hex(const u8 digest[MC_SHA256_LEN], char out[2 * MC_SHA256_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < MC_SHA256_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * MC_SHA256_LEN] = 0;
}
