/* Freestanding memory and string helpers shared by all three front-ends. */
#ifndef MC_MEM_H
#define MC_MEM_H
#include "lib/types.h"

void  *mc_memcpy(void *dst, const void *src, size_t n);
void  *mc_memmove(void *dst, const void *src, size_t n);
void  *mc_memset(void *dst, int c, size_t n);
int    mc_memcmp(const void *a, const void *b, size_t n);
size_t mc_strlen(const char *s);
int    mc_strcmp(const char *a, const char *b);
int    mc_strncmp(const char *a, const char *b, size_t n);
char  *mc_strlcpy(char *dst, const char *src, size_t size);
bool   mc_is_zero(const void *p, size_t n);

/* Wipe secret material (keys, key schedules): mc_memset with 0, then a
 * compiler barrier that may read the bytes, so the stores cannot be
 * removed as dead, even when the buffer is about to go out of scope. */
void   mc_wipe(void *p, size_t n);

/* Parse helpers used by profile, policy and CLI parsers. They accept an
 * optional 0x prefix for hex and return false on empty input, a stray
 * character or overflow. */
bool   mc_parse_u64(const char *s, size_t len, int base, u64 *out);
int    mc_hex_decode(const char *hex, size_t hexlen, u8 *out, size_t outmax); /* bytes, or -1 */

#endif
