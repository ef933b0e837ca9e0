/* Intel SDM Vol. 3A 2.5 (CR4.OSFXSR bit 9, OSXMMEXCPT bit 10, OSXSAVE bit
 * 18), 2.6 (XCR0), 13.3 (enabling the XSAVE feature set): XCR0 may only
 * get bits that CPUID.(EAX=0DH,ECX=0):EAX enumerates, bit 0 (x87) must be
 * set, AVX (bit 2) needs SSE (bit 1), and the three AVX-512 bits (5, 6, 7)
 * go together and need AVX. Setting anything else raises #GP. */
#include "arch/x86/simd.h"

#define CR0_MP          BIT_ULL(1)
#define CR0_EM          BIT_ULL(2)
#define CR4_OSFXSR      BIT_ULL(9)
#define CR4_OSXMMEXCPT  BIT_ULL(10)
#define CR4_OSXSAVE     BIT_ULL(18)
#define XFEATURE_X87    BIT_ULL(0)
#define XFEATURE_SSE    BIT_ULL(1)
#define XFEATURE_AVX    BIT_ULL(2)
#define XFEATURE_AVX512 (BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))   /* opmask, ZMM_Hi256, Hi16_ZMM */
#define CPUID1_ECX_XSAVE    BIT(26)
#define CPUID1_ECX_AVX      BIT(28)
#define CPUID7_EBX_AVX512F  BIT(16)

static void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(sub));
}

u64 x86_simd_enable(void)
{
	u64 cr0, cr4;
	u32 r0[4], r1[4], r7[4] = { 0 }, rd[4];

	/* SSE needs CR0.EM clear and CR0.MP set (SDM Vol. 3A 13.1.3) */
	__asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~CR0_EM) | CR0_MP;
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;

	cpuid(0, 0, r0);
	cpuid(1, 0, r1);
	if (!(r1[2] & CPUID1_ECX_XSAVE) || r0[0] < 0xd) {
		__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4) : "memory");
		return 0;
	}
	if (r0[0] >= 7)
		cpuid(7, 0, r7);
	cpuid(0xd, 0, rd);
	u64 supported = (u64)rd[3] << 32 | rd[0];

	u64 xcr0 = XFEATURE_X87 | (supported & XFEATURE_SSE);
	if ((r1[2] & CPUID1_ECX_AVX) && (xcr0 & XFEATURE_SSE) && (supported & XFEATURE_AVX))
		xcr0 |= XFEATURE_AVX;
	if ((r7[1] & CPUID7_EBX_AVX512F) && (xcr0 & XFEATURE_AVX) &&
	    (supported & XFEATURE_AVX512) == XFEATURE_AVX512)
		xcr0 |= XFEATURE_AVX512;

	cr4 |= CR4_OSXSAVE;
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4) : "memory");
	__asm__ __volatile__("xsetbv" : : "c"(0), "a"((u32)xcr0), "d"((u32)(xcr0 >> 32)) : "memory");
	return xcr0;
}
