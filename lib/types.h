/* Shared freestanding types and bit helpers for the UEFI stage, the kernel
 * and the host command. Only compiler-provided (freestanding) headers here. */
#ifndef MC_TYPES_H
#define MC_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t  s64;

/* Spelled as Linux's include/linux/bits.h spells them. */
#define BIT(n)               (1U << (n))
#define BIT_ULL(n)           (1ULL << (n))
#define GENMASK_ULL(h, l)    (((~0ULL) >> (63 - (h))) & ((~0ULL) << (l)))
#define ARRAY_SIZE(a)        (sizeof(a) / sizeof((a)[0]))

/* x86 exception vectors, as Linux's asm/trapnr.h names them. A "safe"
 * operation returns 0 or one of these. */
#define X86_TRAP_DE   0
#define X86_TRAP_UD   6
#define X86_TRAP_GP  13
#define X86_TRAP_PF  14

#endif
