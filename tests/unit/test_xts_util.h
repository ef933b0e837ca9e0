/* Helpers shared by the tests/unit/test_xts*.c files. */
#ifndef MC_TEST_XTS_UTIL_H
#define MC_TEST_XTS_UTIL_H
#include "lib/crypto/xts.h"
#include "lib/crypto/cpu_features.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline size_t test_unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n && i < max; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (unsigned char)v;
	}
	return n;
}

/* Reason a backend is not usable here ("" if it is). */
static inline const char *test_backend_missing(enum xts_backend be)
{
	return xts_backend_missing(be);
}

/* Deterministic bytes for reproducible "random" inputs. */
static inline void test_fill(unsigned char *p, size_t n, unsigned long long *seed)
{
	for (size_t i = 0; i < n; i++) {
		*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
		p[i] = (unsigned char)(*seed >> 56);
	}
}

#endif
