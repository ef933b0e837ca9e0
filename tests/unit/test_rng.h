/* The unit tests' reproducible pseudo-random source: Marsaglia's xorshift64
 * (13, 7, 17). Each test file keeps its own state and seeds it, so a run is
 * the same every time and one file's draws do not shift another's. */
#ifndef MC_TEST_RNG_H
#define MC_TEST_RNG_H
#include "lib/types.h"

static inline u64 test_xorshift64(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif
