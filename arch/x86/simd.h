/* Turn on the SIMD register state the vector XTS backends need, in our own
 * kernel (Linux and UEFI firmware do this themselves). Built for the UEFI
 * stage and the kernel only. */
#ifndef MC_ARCH_X86_SIMD_H
#define MC_ARCH_X86_SIMD_H
#include "lib/types.h"

/* CR4.OSFXSR and CR4.OSXMMEXCPT; if CPUID enumerates XSAVE, CR4.OSXSAVE and
 * XCR0 = x87 | SSE | AVX (+ opmask | ZMM_Hi256 | Hi16_ZMM with AVX-512F),
 * limited to what CPUID.(EAX=0DH,ECX=0):EAX says XCR0 supports. Returns the
 * XCR0 value set (0 without XSAVE). Call on every CPU that will run vector
 * code, before any backend is chosen (xts_init / xts_rebind). */
u64 x86_simd_enable(void);

#endif
