#include "lib/mem.h"

/* A 64-bit word at any alignment (x86 loads and stores it unaligned). */
typedef u64 __attribute__((aligned(1), may_alias)) u64_any;

/* mc_memcpy and mc_memset move 64-bit words between the unaligned ends.
 * Why: the UEFI stage clears the model's state, simulated DRAM included
 * (16 MiB for the default profile), and under QEMU's TCG the byte loop took
 * ~95 ms of every `make run`, the word loop ~47 ms (the stage's serial
 * output timestamped on the host; eight words a loop gained nothing more:
 * TCG's cost is in the stores themselves). */
void *mc_memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	while (n && ((uintptr_t)d & 7)) {
		*d++ = *s++;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(u64_any *)d = *(const u64_any *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *mc_memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *mc_memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	const u64 word = (u8)c * 0x0101010101010101ULL;
	while (n && ((uintptr_t)d & 7)) {
		*d++ = (u8)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(u64_any *)d = word;
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int mc_memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t mc_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int mc_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int mc_strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (u8)a[i] - (u8)b[i];
	}
	return 0;
}

char *mc_strlcpy(char *dst, const char *src, size_t size)
{
	size_t i = 0;
	if (!size)
		return dst;
	for (; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
	return dst;
}

bool mc_is_zero(const void *p, size_t n)
{
	const u8 *b = p;
	u8 acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

/* mc_memset's word loop (64-bit stores between the unaligned ends: a byte
 * at a time was four instructions a byte wiped; a ct64 unit wipes 464
 * bytes of tweak, block and plane buffers, and the CLI, which wipes its
 * whole input, spent 10 instructions a byte on it, by callgrind), then a
 * barrier that tells the compiler the memory at p may be read, so the
 * stores cannot be dropped as dead, inlined or not, even when the buffer
 * is about to go out of scope (glibc's explicit_bzero works the same way). */
void mc_wipe(void *p, size_t n)
{
	mc_memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool mc_parse_u64(const char *s, size_t len, int base, u64 *out)
{
	u64 v = 0;
	size_t i = 0;

	if (base == 0) {
		base = 10;
		if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			base = 16;
	}
	if (base == 16 && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i >= len)
		return false;
	for (; i < len; i++) {
		int d = digit_value(s[i]);
		if (d >= base)
			return false;
		if (v > (~0ULL - (u64)d) / (u64)base)
			return false;
		v = v * (u64)base + (u64)d;
	}
	*out = v;
	return true;
}

int mc_hex_decode(const char *hex, size_t hexlen, u8 *out, size_t outmax)
{
	if (hexlen > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2, hexlen -= 2;
	if (hexlen % 2 || hexlen / 2 > outmax)
		return -1;
	for (size_t i = 0; i < hexlen / 2; i++) {
		int hi = digit_value(hex[2 * i]), lo = digit_value(hex[2 * i + 1]);
		if (hi > 15 || lo > 15)
			return -1;
		out[i] = (u8)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}
