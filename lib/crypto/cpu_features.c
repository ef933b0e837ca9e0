/* CPUID and XGETBV checks for the vector XTS backends.
 * Intel SDM Vol. 1 13.3 / 14.3 / 15.2: software may use YMM registers only if
 * CPUID.1:ECX.OSXSAVE[27] = 1 and XCR0 has SSE(1) and AVX(2) set, and
 * AVX-512 only if XCR0 also has opmask(5), ZMM_Hi256(6) and Hi16_ZMM(7). Legacy SSE (AES-NI) needs CR4.OSFXSR,
 * which no CPUID bit reflects: on Linux and under UEFI (UEFI 2.x, 2.3.4
 * x64 platforms) it is always on; in our own kernel we read CR4. */
#include "lib/crypto/cpu_features.h"
#include "arch/x86/msr-index.h"   /* CPUID_VENDOR_* */

#define CPUID1_ECX_PCLMULQDQ   BIT(1)
#define CPUID1_ECX_SSE41       BIT(19)
#define CPUID1_ECX_AES         BIT(25)
#define CPUID1_ECX_OSXSAVE     BIT(27)
#define CPUID1_ECX_AVX         BIT(28)
#define CPUID7_EBX_BMI1        BIT(3)
#define CPUID7_EBX_AVX2        BIT(5)
#define CPUID7_EBX_BMI2        BIT(8)
#define CPUID7_EBX_AVX512F     BIT(16)
#define CPUID7_EBX_AVX512BW    BIT(30)
#define CPUID7_EBX_AVX512VL    BIT(31)
#define CPUID7_ECX_VAES        BIT(9)
#define CPUID7_ECX_VPCLMULQDQ  BIT(10)
#define XCR0_YMM_STATE         (BIT(1) | BIT(2))
#define XCR0_AVX512_STATE      (BIT(1) | BIT(2) | BIT(5) | BIT(6) | BIT(7))
#define CR4_OSFXSR             BIT(9)

static void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(sub));
}

static u64 xgetbv0(void)
{
	u32 lo, hi;
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (u64)hi << 32 | lo;
}

static bool sse_state_enabled(void)
{
#if defined(MC_FRONTEND_KERNEL)
	u64 cr4;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	return (cr4 & CR4_OSFXSR) != 0;
#else
	return true;   /* Linux user space and UEFI boot services run with SSE on */
#endif
}

/* CPUID leaf 1 EAX: the family is bits 11:8, plus the extended family
 * (bits 27:20) when those read 0xF (Intel SDM Vol. 2A, CPUID; AMD APM
 * Vol. 3, CPUID Fn0000_0001_EAX). */
static u32 cpu_family(u32 leaf1_eax)
{
	u32 base = (leaf1_eax >> 8) & 0xF;
	return base == 0xF ? base + ((leaf1_eax >> 20) & 0xFF) : base;
}

static bool vendor_is_intel(u32 ebx, u32 edx, u32 ecx)
{
	return ebx == CPUID_VENDOR_INTEL_EBX && edx == CPUID_VENDOR_INTEL_EDX && ecx == CPUID_VENDOR_INTEL_ECX;
}

static bool vendor_is_amd(u32 ebx, u32 edx, u32 ecx)
{
	return ebx == CPUID_VENDOR_AMD_EBX && edx == CPUID_VENDOR_AMD_EDX && ecx == CPUID_VENDOR_AMD_ECX;
}

bool cpu_pdep_is_fast(u32 vendor_ebx, u32 vendor_edx, u32 vendor_ecx, u32 leaf1_eax)
{
	return vendor_is_intel(vendor_ebx, vendor_edx, vendor_ecx) ||
	       (vendor_is_amd(vendor_ebx, vendor_edx, vendor_ecx) && cpu_family(leaf1_eax) >= 0x19);
}

struct why {
	const char *aesni, *vaes256, *vaes512, *avx2;
};

/* Returns the usable set; *why (if not NULL) says why each missing one is. */
static u32 detect(struct why *why)
{
	u32 r1[4], r7[4] = { 0 }, r0[4], f = 0;

	cpuid(0, 0, r0);
	cpuid(1, 0, r1);
	if (r0[0] >= 7)
		cpuid(7, 0, r7);
	bool aes = (r1[2] & (CPUID1_ECX_AES | CPUID1_ECX_PCLMULQDQ | CPUID1_ECX_SSE41)) ==
		   (CPUID1_ECX_AES | CPUID1_ECX_PCLMULQDQ | CPUID1_ECX_SSE41);
	bool sse_on = sse_state_enabled();
	if (aes && sse_on)
		f |= CPUF_AESNI;
	if ((r7[1] & (CPUID7_EBX_BMI1 | CPUID7_EBX_BMI2)) == (CPUID7_EBX_BMI1 | CPUID7_EBX_BMI2))
		f |= CPUF_BMI2;
	if (vendor_is_intel(r0[1], r0[3], r0[2]))
		f |= CPUF_INTEL;
	if ((f & CPUF_BMI2) && cpu_pdep_is_fast(r0[1], r0[3], r0[2], r1[0]))
		f |= CPUF_PDEP_FAST;

	bool avx512 = (r7[1] & (CPUID7_EBX_AVX512F | CPUID7_EBX_AVX512BW | CPUID7_EBX_AVX512VL)) ==
		      (CPUID7_EBX_AVX512F | CPUID7_EBX_AVX512BW | CPUID7_EBX_AVX512VL);
	bool vaes = (r7[2] & (CPUID7_ECX_VAES | CPUID7_ECX_VPCLMULQDQ)) ==
		    (CPUID7_ECX_VAES | CPUID7_ECX_VPCLMULQDQ);
	bool osxsave = (r1[2] & CPUID1_ECX_OSXSAVE) != 0;
	bool avx2 = (r1[2] & CPUID1_ECX_AVX) && (r7[1] & CPUID7_EBX_AVX2);
	/* XGETBV raises #UD unless CR4.OSXSAVE is set, which OSXSAVE mirrors */
	u64 xcr0 = osxsave ? xgetbv0() : 0;
	bool ymm_on = (xcr0 & XCR0_YMM_STATE) == XCR0_YMM_STATE;
	bool zmm_on = (xcr0 & XCR0_AVX512_STATE) == XCR0_AVX512_STATE;
	if (avx2 && ymm_on && sse_on)
		f |= CPUF_AVX2;
	if ((f & CPUF_AESNI) && avx2 && vaes && ymm_on)
		f |= CPUF_VAES256;
	if ((f & CPUF_AESNI) && avx512 && vaes && zmm_on)
		f |= CPUF_VAES512;

	const char *a = !aes ? "CPU lacks AES-NI/PCLMULQDQ/SSE4.1"
		      : !sse_on ? "SSE state not enabled (CR4.OSFXSR clear)" : "";
	if (why) {
		why->aesni = a;
		why->vaes256 = *a ? a
			     : !avx2 ? "CPU lacks AVX/AVX2"
			     : !vaes ? "CPU lacks VAES/VPCLMULQDQ"
			     : !ymm_on ? "OS has not enabled YMM state (CR4.OSXSAVE, XCR0 bits 1-2)" : "";
		why->avx2 = !avx2 ? "CPU lacks AVX/AVX2"
			  : !sse_on ? "SSE state not enabled (CR4.OSFXSR clear)"
			  : !ymm_on ? "OS has not enabled YMM state (CR4.OSXSAVE, XCR0 bits 1-2)" : "";
		why->vaes512 = *a ? a
			     : !avx512 ? "CPU lacks AVX-512F/VL/BW"
			     : !vaes ? "CPU lacks VAES/VPCLMULQDQ"
			     : !zmm_on ? "OS has not enabled AVX-512 state (CR4.OSXSAVE, XCR0)" : "";
	}
	return f;
}

u32 cpu_features_detect(void)
{
	return detect(NULL);
}

const char *cpu_features_missing(u32 wanted)
{
	struct why why;
	u32 have = detect(&why);
	if ((have & wanted) == wanted)
		return "";
	return (wanted & CPUF_VAES512) ? why.vaes512
	     : (wanted & CPUF_VAES256) ? why.vaes256
	     : (wanted & CPUF_AVX2) ? why.avx2 : why.aesni;
}
