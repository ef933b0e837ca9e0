/* The compiler may emit calls to these for struct copies and large
 * initialisers even in freestanding code; they forward to lib/mem.c. */
#include "lib/mem.h"

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *d, const void *s, size_t n) { return mc_memcpy(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return mc_memmove(d, s, n); }
void *memset(void *d, int c, size_t n) { return mc_memset(d, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return mc_memcmp(a, b, n); }
