/* lib/crypto/sha256.c against FIPS 180-4's examples (the NIST "Examples
 * with Intermediate Values" for SHA-256: "abc", the 448-bit two-block
 * message, one million 'a') and against coreutils' sha256sum, an
 * implementation that is not ours, on inputs around the padding edges
 * fed in odd pieces. */
#include "tests/unit/harness.h"
#include "lib/crypto/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *msg;
	size_t repeat;
	const char *digest;
} fips[] = {
	{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

TEST(sha256, fips180_examples)
{
	for (size_t i = 0; i < ARRAY_SIZE(fips); i++) {
		struct mc_sha256 c;
		u8 d[32];
		char hex[65];
		mc_sha256_init(&c);
		for (size_t r = 0; r < fips[i].repeat; r++)
			mc_sha256_update(&c, fips[i].msg, strlen(fips[i].msg));
		mc_sha256_final(&c, d);
		mc_sha256_hex(d, hex);
		EXPECT(!strcmp(hex, fips[i].digest), "FIPS 180 example %zu (\"%.8s\" x %zu) = %s (got %s)", i,
		       fips[i].msg, fips[i].repeat, fips[i].digest, hex);
	}
}

TEST(sha256, matches_sha256sum)
{
	static const size_t lens[] = { 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4097 };
	char path[] = "/tmp/memcrypt-sha256-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		EXPECT(false, "setup: no temporary file for sha256sum (mkstemp %s): the comparison did not run", path);
		return;
	}
	FILE *f = fdopen(fd, "wb");
	u8 buf[4097];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 131 + 7);
	for (size_t k = 0; k < ARRAY_SIZE(lens); k++) {
		size_t n = lens[k];
		rewind(f);
		if (ftruncate(fileno(f), 0) || fwrite(buf, 1, n, f) != n || fflush(f)) {
			EXPECT(false, "writing %zu bytes for sha256sum", n);
			break;
		}
		char cmd[96], want[80] = "";
		snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
		FILE *p = popen(cmd, "r");
		if (!p || !fgets(want, sizeof(want), p)) {
			if (p)
				pclose(p);
			EXPECT(false, "setup: sha256sum (coreutils) did not run: the comparison for %zu bytes did not run", n);
			break;
		}
		pclose(p);
		want[64] = 0;
		/* In pieces of 1, 7, 64 ... bytes, so every buffering path runs. */
		struct mc_sha256 c;
		u8 d[32];
		char hex[65];
		mc_sha256_init(&c);
		for (size_t off = 0, step = 1; off < n; off += step, step = step * 7 % 97 + 1)
			mc_sha256_update(&c, buf + off, off + step > n ? n - off : step);
		mc_sha256_final(&c, d);
		mc_sha256_hex(d, hex);
		EXPECT(!strcmp(hex, want), "%zu bytes fed in pieces: same digest as sha256sum (%.16s..., got %.16s...)", n,
		       want, hex);
	}
	fclose(f);
	unlink(path);
}
