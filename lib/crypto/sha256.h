/* SHA-256 (FIPS 180-4), freestanding: the UEFI stage checks kernel.elf
 * against the digest embedded at build time (efi/kernel_digest.c) before
 * it hands off, so a Secure Boot chain that verified BOOTX64.EFI does not
 * end in an unchecked file. Not constant-time work on secrets: it hashes
 * public data only.
 *
 *   struct mc_sha256 c; mc_sha256_init(&c); mc_sha256_update(&c, p, n) ...;
 *   mc_sha256_final(&c, digest);     or mc_sha256(p, n, digest) at once.
 * Messages up to 2^61 - 1 bytes (the 64-bit bit-length of 5.1.1). */
#ifndef MC_CRYPTO_SHA256_H
#define MC_CRYPTO_SHA256_H
#include "lib/types.h"

#define MC_SHA256_LEN 32

struct mc_sha256 {
	u32 h[8];
	u64 bytes;          /* message length so far */
	u8  block[64];
	u32 fill;           /* bytes in block */
};

void mc_sha256_init(struct mc_sha256 *c);
void mc_sha256_update(struct mc_sha256 *c, const void *data, size_t len);
/* Writes the digest and wipes the context. */
void mc_sha256_final(struct mc_sha256 *c, u8 out[MC_SHA256_LEN]);
void mc_sha256(const void *data, size_t len, u8 out[MC_SHA256_LEN]);
/* The digest as 64 lower-case hex digits and a NUL (out has 65 bytes). */
void mc_sha256_hex(const u8 digest[MC_SHA256_LEN], char out[2 * MC_SHA256_LEN + 1]);

#endif
