/* What the CPU and the operating environment let the XTS backends use.
 * An instruction set counts only when the CPU enumerates it AND the OS (or
 * our kernel, arch/x86/simd.c) has enabled the register state it needs. */
#ifndef MC_CPU_FEATURES_H
#define MC_CPU_FEATURES_H
#include "lib/types.h"

#define CPUF_AESNI       BIT(0)   /* AES-NI + PCLMULQDQ + SSE4.1, SSE state on */
#define CPUF_VAES512     BIT(1)   /* VAES + VPCLMULQDQ + AVX512F/VL/BW, ZMM state on */
#define CPUF_VAES256     BIT(2)   /* VAES + VPCLMULQDQ + AVX2, YMM state on */
#define CPUF_AVX2        BIT(3)   /* AVX2, YMM state on (no AES instructions needed) */
/* Not a feature: CPUID vendor "GenuineIntel", a tuning hint (xts_aesni picks
 * its tweak step by it; both steps are correct everywhere). */
#define CPUF_INTEL       BIT(4)
/* BMI1 + BMI2: general-register instructions (three-operand rotates and
 * shifts), no state to enable; ct64 picks its BMI2 build of the core by it. */
#define CPUF_BMI2        BIT(5)
/* Not a feature either: BMI2's PDEP/PEXT run as one fast uop (every Intel
 * CPU with BMI2, AMD from family 19h, Zen 3). AMD's families 15h-18h
 * (Excavator, Zen, Zen+, Zen 2, Hygon Dhyana) run them in microcode, tens to
 * hundreds of cycles each, where ct64's PDEP packing would be a loss; other
 * vendors are not assumed fast. ct64 packs by PDEP only with this bit. A
 * guest whose vendor string is spoofed (QEMU vendor=GenuineIntel on a Zen
 * 2 host) gets it wrongly: slower, never wrong. */
#define CPUF_PDEP_FAST   BIT(6)

/* Detected afresh on each call (the kernel enables SIMD state after boot),
 * so callers check once, at setup, not per block. */
u32 cpu_features_detect(void);

/* The CPUF_PDEP_FAST rule on CPUID leaf 0 (vendor EBX, EDX, ECX) and
 * leaf 1 EAX (family), for CPUs that have BMI2; apart so that a test can
 * give it real CPUs' values. */
bool cpu_pdep_is_fast(u32 vendor_ebx, u32 vendor_edx, u32 vendor_ecx, u32 leaf1_eax);

/* Why a feature set is missing, for SKIP / UNAVAILABLE lines. */
const char *cpu_features_missing(u32 wanted);

#endif
