/* What every libFuzzer target shares (tests/fuzz/README.md). A target
 * feeds one parser the fuzzer's bytes, then checks the contract the
 * parser's header promises about what it accepted: a broken promise is
 * reported like a crash (abort), so the fuzzer keeps the input. */
#ifndef MC_FUZZ_H
#define MC_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "fuzz: %s:%d: contract broken: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

/* A copy of the input with a NUL after it, in its own allocation, so ASan
 * sees any read past the end (the fuzzer's buffer may be larger). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* An error message must be a terminated string that fits its buffer. */
static inline void fuzz_check_err(const char *err, size_t errlen)
{
	FUZZ_CHECK(memchr(err, 0, errlen) != NULL, "error message not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
