/* A small freestanding printf: the one formatter every front-end uses, so a
 * report line reads the same on serial, on screen, in a file and on Linux.
 * Supports %d %i %u %x %X %s %c %p %% with flags '-' '0', a width, a
 * precision for %s, and the length modifiers l, ll and z. */
#ifndef MC_FMT_H
#define MC_FMT_H
#include "lib/types.h"

int mc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int mc_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void mc_hex_encode(const u8 *in, size_t n, char *out);

#endif
