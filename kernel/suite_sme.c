/* sme: AMD Secure Memory Encryption through the platform's memory port (AMD
 * seed, "SME - technical details": the C-bit of the physical address
 * decides, per access, whether the memory controller's AES engine encrypts
 * with the SME key).
 *   - a page written with C=1 and flushed reads differently with C=0, and
 *     the same with C=1;
 *   - a page encrypted in place the way the seed describes for Linux ("the
 *     kernel is encrypted in place by copying pages to ones with the C-bit
 *     set"): read through a C=0 mapping into a bounce buffer, WBINVD, write
 *     through a C=1 mapping of the same page, WBINVD; afterwards C=1 reads
 *     the original plaintext and DRAM holds ciphertext.
 * Neither alias is coherent with the other, hence the flushes. */
#include "kernel/ksuite.h"
#include "lib/mem.h"

#define PAGE 4096

struct sme {
	const struct mc_platform *p;
	u64 page, cbit;
	u8 pat[PAGE], buf[PAGE], bounce[PAGE];
};

static int put(struct sme *s, u64 pa, const u8 *data)
{
	int r = s->p->mem_write(s->p->ctx, pa, data, PAGE);
	kflush(s->p, pa, PAGE);
	return r;
}

static int get(struct sme *s, u64 pa, u8 *out)
{
	kflush(s->p, pa, PAGE);   /* nothing cached under this C-bit value */
	return s->p->mem_read(s->p->ctx, pa, out, PAGE);
}

void suite_sme(struct kernel_ctx *k);
void suite_sme(struct kernel_ctx *k)
{
	const struct mc_facts *f = kernel_facts();
	static struct sme s;
	int e;

	if (f->vendor != MC_VENDOR_AMD) {
		mc_report(k->res, MC_SKIP, "sme.cbit", "not an AMD CPU (%s): SME is AMD's", f->vendor_id);
		return;
	}
	if (!f->sme.supported) {
		mc_report(k->res, MC_SKIP, "sme.cbit", "SME not supported (CPUID 0x8000001F %s)",
			  f->sme.leaf ? "EAX[0]=0" : "beyond the max extended leaf");
		return;
	}
	if (f->sme.guest) {
		mc_report(k->res, MC_SKIP, "sme.cbit", "running as an SEV guest (SEV_STATUS=0x%llx): SME is the host's",
			  (unsigned long long)f->sme.sev_status);
		return;
	}
	if (!f->sme.enabled) {
		mc_report(k->res, MC_SKIP, "sme.cbit", "SME not enabled by the BIOS (SYSCFG=0x%llx, bit 23 MemEncryptionModEn=0): the C-bit has no meaning",
			  (unsigned long long)f->sme.syscfg);
		return;
	}
	s.p = &k->plat;
	s.page = ktest_page(k, 8);
	s.cbit = BIT_ULL(f->sme.enc.c_bit);
	if (!s.page) {
		mc_report(k->res, MC_FAIL, "sme.cbit", "no test memory (scratch exhausted)");
		return;
	}
	ksuite_pattern(s.pat, PAGE, 0xa3d);

	/* C=1 write, C=0 read. */
	e = put(&s, s.page | s.cbit, s.pat);
	if (!e)
		e = get(&s, s.page, s.buf);
	bool differs = mc_memcmp(s.buf, s.pat, PAGE) != 0;
	if (!e)
		e = get(&s, s.page | s.cbit, s.buf);
	if (e) {
		mc_report(k->res, MC_FAIL, "sme.cbit", "memory port: %s", mc_fault_name(e));
		return;
	}
	mc_report_check(k->res, differs && !mc_memcmp(s.buf, s.pat, PAGE), "sme.cbit",
			"page 0x%llx written with C=1 (bit %u) and flushed: read with C=0 it is not the plaintext, read with C=1 it is",
			(unsigned long long)s.page, f->sme.enc.c_bit);

	/* Encryption in place through two aliases of the same page. */
	ksuite_pattern(s.pat, PAGE, 0xb0b);
	e = put(&s, s.page, s.pat);                               /* firmware left it plaintext */
	if (!e)
		e = s.p->mem_read(s.p->ctx, s.page, s.bounce, PAGE);   /* C=0 -> bounce buffer */
	s.p->wbinvd(s.p->ctx);
	if (!e)
		e = s.p->mem_write(s.p->ctx, s.page | s.cbit, s.bounce, PAGE);   /* bounce -> C=1 */
	s.p->wbinvd(s.p->ctx);
	if (!e)
		e = get(&s, s.page | s.cbit, s.buf);
	bool c1_plain = !mc_memcmp(s.buf, s.pat, PAGE);
	if (!e)
		e = s.p->mem_raw_read(s.p->ctx, s.page, s.buf, PAGE);
	if (e) {
		mc_report(k->res, MC_FAIL, "sme.in_place", "memory port: %s", mc_fault_name(e));
		return;
	}
	mc_report_check(k->res, c1_plain && mc_memcmp(s.buf, s.pat, PAGE), "sme.in_place",
			"page 0x%llx encrypted in place (C=0 read to a bounce buffer, WBINVD, C=1 write, WBINVD; AMD seed, Linux SME): C=1 reads the original, DRAM holds ciphertext",
			(unsigned long long)s.page);
	mc_wipe(s.bounce, sizeof(s.bounce));
}
