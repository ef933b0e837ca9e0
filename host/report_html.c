/* The HTML audit report; what it shows is in the header. The register
 * tables below are the seeds' (Intel Memory Encryption Technologies
 * Specification rev 1.3, Tables 4-1 to 4-6) and FACTS.md's for the
 * registers beyond them, field for field as lib/checks decodes them. */
#include "host/report_html.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum fkind { F_RSVD, F_FLAG, F_NUM, F_HEX, F_POLICY, F_ALGS, F_ADDR };

struct field {
	u8 hi, lo;            /* hi 0xff: MAXPHYADDR - 1; lo 0xff: MAXPHYADDR */
	const char *name;
	enum fkind kind;
	const char *on;       /* F_FLAG: what 1 means */
};

#define PA_HI 0xff        /* MAXPHYADDR - 1 */
#define PA    0xfe        /* MAXPHYADDR */

struct regdef {
	const char *name;     /* the key in the JSON "raw" object */
	u32 msr;
	const char *cite;
	struct field f[12];
};

static const struct regdef regs[] = {
	{ "IA32_TME_CAPABILITY", 0x981, "Intel seed, Table 4-1",
	  { { 0, 0, "AES-XTS-128", F_FLAG, "supported" }, { 1, 1, "reserved", F_RSVD, 0 },
	    { 2, 2, "AES-XTS-256", F_FLAG, "supported" }, { 30, 3, "reserved", F_RSVD, 0 },
	    { 31, 31, "TME encryption bypass", F_FLAG, "supported" },
	    { 35, 32, "MK_TME_MAX_KEYID_BITS", F_NUM, 0 }, { 50, 36, "MK_TME_MAX_KEYS", F_NUM, 0 },
	    { 63, 51, "reserved", F_RSVD, 0 } } },
	{ "IA32_TME_ACTIVATE", 0x982, "Intel seed, Tables 4-2 and 4-3",
	  { { 0, 0, "Lock", F_FLAG, "locked (RO until reset)" }, { 1, 1, "TME enable", F_FLAG, "enabled" },
	    { 2, 2, "Key select", F_FLAG, "restore key from storage (0: new key)" },
	    { 3, 3, "Save key for standby", F_FLAG, "save" }, { 7, 4, "TME policy (algorithm)", F_POLICY, 0 },
	    { 30, 8, "reserved", F_RSVD, 0 }, { 31, 31, "TME encryption bypass", F_FLAG, "bypass KeyID 0" },
	    { 35, 32, "MK_TME_KEYID_BITS", F_NUM, 0 }, { 47, 36, "reserved", F_RSVD, 0 },
	    { 63, 48, "MK_TME_CRYPTO_ALGS", F_ALGS, 0 } } },
	{ "IA32_TME_EXCLUDE_MASK", 0x983, "Intel seed, Table 4-5",
	  { { 10, 0, "reserved", F_RSVD, 0 }, { 11, 11, "Enable", F_FLAG, "exclusion range on" },
	    { PA_HI, 12, "TMEEMASK", F_ADDR, 0 }, { 63, PA, "reserved", F_RSVD, 0 } } },
	{ "IA32_TME_EXCLUDE_BASE", 0x984, "Intel seed, Table 4-6",
	  { { 11, 0, "reserved", F_RSVD, 0 }, { PA_HI, 12, "TMEEBASE", F_ADDR, 0 }, { 63, PA, "reserved", F_RSVD, 0 } } },
	{ "MK_TME_CORE_ACTIVATE", 0x9ff, "Intel seed, Table 4-4",
	  { { 31, 0, "reserved", F_RSVD, 0 }, { 35, 32, "MK_TME_KEYID_BITS", F_NUM, 0 }, { 63, 36, "reserved", F_RSVD, 0 } } },
	{ "IA32_MKTME_KEYID_PARTITIONING", 0x87, "FACTS.md (Linux arch/x86/virt/vmx/tdx)",
	  { { 31, 0, "MKTME KeyIDs", F_NUM, 0 }, { 63, 32, "TDX private KeyIDs", F_NUM, 0 } } },
	{ "IA32_SEAMRR_PHYS_MASK", 0x1401, "FACTS.md (Intel check-tdx-host: bit 11)",
	  { { 10, 0, "other (not decoded)", F_HEX, 0 }, { 11, 11, "SEAMRR enabled", F_FLAG, "TDX enabled in BIOS" },
	    { 63, 12, "mask (not decoded)", F_HEX, 0 } } },
	{ "SYSCFG", 0xc0010010, "AMD seed (SME step 2); FACTS.md (APM vol. 2 15.34-15.36)",
	  { { 22, 0, "other (not decoded)", F_HEX, 0 }, { 23, 23, "MemEncryptionModEn", F_FLAG, "SME enabled" },
	    { 24, 24, "SecureNestedPagingEn", F_FLAG, "SNP enabled" }, { 25, 25, "VMPLEn", F_FLAG, "VMPLs enabled" },
	    { 63, 26, "other (not decoded)", F_HEX, 0 } } },
	{ "HWCR", 0xc0010015, "FACTS.md (Linux early_detect_mem_encrypt)",
	  { { 0, 0, "SMMLOCK", F_FLAG, "SMM locked" }, { 63, 1, "other (not decoded)", F_HEX, 0 } } },
	{ "SEV_STATUS", 0xc0010131, "FACTS.md (AMD APM; guest only)",
	  { { 0, 0, "SEV", F_FLAG, "SEV guest" }, { 1, 1, "SEV-ES", F_FLAG, "SEV-ES guest" },
	    { 2, 2, "SEV-SNP", F_FLAG, "SNP guest" }, { 63, 3, "other (not decoded)", F_HEX, 0 } } },
};

/* ---- helpers ------------------------------------------------------------ */

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static u64 mask_bits(unsigned hi, unsigned lo)
{
	return GENMASK_ULL(hi, lo);
}

static bool hexval(const struct jv *v, u64 *out)
{
	const char *s = jv_str(v, NULL);
	if (!s)
		return false;
	char *end;
	*out = strtoull(s, &end, 0);
	return end != s && !*end;
}

static const char *verdict_class(const char *v)
{
	return !strcmp(v, "FAIL") ? "fail" : !strcmp(v, "WARN") ? "warn" : !strcmp(v, "PASS") ? "pass" :
	       !strcmp(v, "SKIP") ? "skip" : "info";
}

static const char *const CSS =
	"body{font-family:sans-serif;margin:1.5em;color:#111;max-width:80em}"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #999}"
	"table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #999;padding:.2em .4em;vertical-align:top}"
	"th{background:#eee;text-align:left}.v{font-weight:bold;text-align:center;width:4em}"
	".fail{background:#f4c7c3}.warn{background:#fce8b2}.pass{background:#d4ecd4}.skip{background:#e0e0e0}"
	".info{background:#eef3fb}.mono,td.bits{font-family:monospace}"
	"table.reg{table-layout:fixed;width:72em}table.reg col{width:3.125%}"
	"table.reg td{overflow:hidden;text-align:center;font-size:.8em;padding:.15em .1em}table.reg td.rsvd{background:#f2f2f2;color:#666}"
	"table.reg td.set{background:#cfe2f3}table.reg td.bad{background:#f4c7c3}"
	"td.differ{background:#f4c7c3;font-weight:bold}.note{color:#444;font-size:.9em}"
	".bar td{text-align:center;font-family:monospace;font-size:.85em}.bar td.kid{background:#fce8b2}"
	".bar td.addr{background:#d4ecd4}.bar td.res{background:#e0e0e0}.bar td.cbit{background:#cfe2f3}";

/* ---- provenance --------------------------------------------------------- */

static void row(FILE *f, const char *k, const char *v)
{
	fprintf(f, "<tr><th>%s</th><td>", k);
	esc(f, v && *v ? v : "not recorded in this input");
	fputs("</td></tr>\n", f);
}

static void provenance(FILE *f, const struct rh_input *in)
{
	const struct jv *r = in->root, *p = jv_get(r, "provenance");
	char buf[512], now[64];
	time_t t = time(NULL);
	struct tm tm;
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));

	fputs("<h2 id=\"provenance\">Provenance</h2>\n<table>\n", f);
	if (jv_get(r, "vendor_id"))
		snprintf(buf, sizeof(buf), "%s, %g CPUs in %g packages, MAXPHYADDR %g%s%s%s",
			 jv_str(jv_get(r, "vendor_id"), "?"), jv_num(jv_get(r, "cpus"), 0),
			 jv_num(jv_get(r, "packages"), 0), jv_num(jv_get(r, "phys_bits"), 0),
			 jv_bool(jv_get(r, "hypervisor"), false) ? ", under a hypervisor" : ", bare metal",
			 jv_get(r, "platform") ? "; platform " : "", jv_str(jv_get(r, "platform"), ""));
	else
		snprintf(buf, sizeof(buf), "%s%s", jv_get(r, "platform") ? "platform " : "", jv_str(jv_get(r, "platform"), ""));
	row(f, "Machine", buf);
	buf[0] = 0;
	if (p)
		snprintf(buf, sizeof(buf), "%s, revision %s, UEFI %s", jv_str(jv_get(p, "firmware_vendor"), "?"),
			 jv_str(jv_get(p, "firmware_revision"), "?"), jv_str(jv_get(p, "uefi_revision"), "?"));
	row(f, "Firmware", buf);
	snprintf(buf, sizeof(buf), "%s%s%s", jv_str(jv_get(p, "date"), in->source_date ? in->source_date : ""),
		 jv_get(p, "date") || in->source_date ? "; " : "", "");
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "this report made %s", now);
	row(f, "Date", buf);
	const char *ver = jv_str(jv_get(p, "memcrypt_version"), jv_str(jv_get(r, "version"), NULL));
	snprintf(buf, sizeof(buf), "results by memcrypt %s%s%s; report by memcrypt " MC_VERSION, ver ? ver : "(version not recorded)",
		 p ? " (" : "", p ? jv_str(jv_get(p, "writer"), "") : "");
	if (p)
		strncat(buf, ")", sizeof(buf) - strlen(buf) - 1);
	row(f, "Version", buf);
	row(f, "Input", in->source);
	fputs("</table>\n", f);
}

/* ---- verdicts ----------------------------------------------------------- */

static void verdicts(FILE *f, const struct jv *r)
{
	static const char *const order[] = { "FAIL", "WARN", "PASS", "SKIP", "INFO" };
	const struct jv *checks = jv_get(r, "checks"), *sum = jv_get(r, "summary");
	fputs("<h2 id=\"verdicts\">Verdicts</h2>\n", f);
	if (sum)
		fprintf(f, "<p>%g PASS, %g FAIL, %g WARN, %g SKIP, %g INFO</p>\n", jv_num(jv_get(sum, "pass"), 0),
			jv_num(jv_get(sum, "fail"), 0), jv_num(jv_get(sum, "warn"), 0), jv_num(jv_get(sum, "skip"), 0),
			jv_num(jv_get(sum, "info"), 0));
	if (jv_get(r, "omitted") && !jv_get(r, "raw"))
		fprintf(f, "<p class=\"note\">A last-run record keeps only the FAIL and WARN results (%g more did not "
			"fit); the counts above cover the whole run.</p>\n", jv_num(jv_get(r, "omitted"), 0));
	fputs("<table id=\"verdict-table\">\n<tr><th>Verdict</th><th>Check</th><th>Detail</th></tr>\n", f);
	for (size_t o = 0; o < 5; o++) {
		for (size_t i = 0; checks && checks->type == JV_ARR && i < checks->n; i++) {
			const struct jv *c = &checks->items[i];
			const char *v = jv_str(jv_get(c, "verdict"), "?");
			if (strcmp(v, order[o]))
				continue;
			fprintf(f, "<tr class=\"%s\"><td class=\"v\">%s</td><td class=\"mono\">", verdict_class(v), v);
			esc(f, jv_str(jv_get(c, "id"), "?"));
			fputs("</td><td>", f);
			esc(f, jv_str(jv_get(c, "detail"), ""));
			fputs("</td></tr>\n", f);
		}
	}
	fputs("</table>\n", f);
}

/* ---- registers ---------------------------------------------------------- */

struct rfield {
	unsigned hi, lo;
	const struct field *d;
};

static int resolve(const struct regdef *rd, unsigned pa, struct rfield *out)
{
	int n = 0;
	for (int i = 0; i < 12 && rd->f[i].name; i++) {
		unsigned hi = rd->f[i].hi == PA_HI ? pa - 1 : rd->f[i].hi;
		unsigned lo = rd->f[i].lo == PA ? pa : rd->f[i].lo;
		if (lo > hi || lo > 63)
			continue;   /* a reserved field above a 64-bit MAXPHYADDR */
		out[n++] = (struct rfield){ hi > 63 ? 63 : hi, lo, &rd->f[i] };
	}
	return n;
}

static void meaning(FILE *f, const struct field *d, u64 v, unsigned width)
{
	switch (d->kind) {
	case F_RSVD:
		fputs(v ? "<b>set: must be 0</b>" : "0 (as required)", f);
		break;
	case F_FLAG:
		fprintf(f, "%s", v ? d->on : "no");
		break;
	case F_NUM:
		fprintf(f, "%llu", (unsigned long long)v);
		break;
	case F_HEX:
		fprintf(f, "0x%llx", (unsigned long long)v);
		break;
	case F_POLICY:
		fprintf(f, "%s", v == 0 ? "AES-XTS-128" : v == 2 ? "AES-XTS-256" : "<b>invalid policy</b>");
		break;
	case F_ALGS:
		fprintf(f, "%s%s%s", v & 1 ? "AES-XTS-128 " : "", v & 4 ? "AES-XTS-256 " : "",
			v & ~5ull ? "<b>reserved bits set</b>" : !v ? "none" : "");
		break;
	case F_ADDR:
		fprintf(f, "0x%llx", (unsigned long long)(v << 12));
		break;
	}
	(void)width;
}

static void diagram_row(FILE *f, const struct rfield *fs, int n, u64 val, unsigned top)
{
	/* Cells from bit top down to top-31, one per field piece. */
	fputs("<tr>", f);
	for (int b = (int)top; b > (int)top - 32;) {
		const struct rfield *hit = NULL;
		for (int i = 0; i < n; i++)
			if ((unsigned)b <= fs[i].hi && (unsigned)b >= fs[i].lo)
				hit = &fs[i];
		int lo = hit ? (int)hit->lo : b;
		if (lo < (int)top - 31)
			lo = (int)top - 31;
		int w = b - lo + 1;
		u64 v = hit ? (val & mask_bits((unsigned)b, (unsigned)lo)) >> lo : 0;   /* this piece's bits */
		const char *cls = !hit || hit->d->kind == F_RSVD ? (v ? "bad" : "rsvd") : v ? "set" : "";
		fprintf(f, "<td colspan=\"%d\" class=\"%s\" title=\"bits %d:%d\">%d", w, cls, b, lo, b);
		if (w > 1)
			fprintf(f, ":%d", lo);
		fputs("<br>", f);
		if (w > 1 || !hit || hit->d->kind != F_RSVD)
			esc(f, hit ? hit->d->name : "?");
		fprintf(f, "<br>0x%llx</td>", (unsigned long long)v);
		b = lo - 1;
	}
	fputs("</tr>\n", f);
}

static void one_register(FILE *f, const struct regdef *rd, u64 val, unsigned pa, const char *note)
{
	struct rfield fs[12];
	int n = resolve(rd, pa, fs);
	fprintf(f, "<h3 id=\"reg-%s\">%s (MSR %XH) = 0x%016llx</h3>\n<p class=\"note\">Fields as in %s",
		rd->name, rd->name, rd->msr, (unsigned long long)val, rd->cite);
	if (note)
		fprintf(f, "; %s", note);
	fputs(".</p>\n<table class=\"reg\"><colgroup>", f);
	for (int i = 0; i < 32; i++)
		fputs("<col>", f);
	fputs("</colgroup>\n", f);
	diagram_row(f, fs, n, val, 63);
	diagram_row(f, fs, n, val, 31);
	fputs("</table>\n<table>\n<tr><th>Bits</th><th>Field</th><th>Value</th><th>Decoded</th></tr>\n", f);
	for (int i = n - 1; i >= 0; i--) {
		u64 v = (val & mask_bits(fs[i].hi, fs[i].lo)) >> fs[i].lo;
		fprintf(f, "<tr><td class=\"bits\">%u%s", fs[i].hi, fs[i].hi != fs[i].lo ? ":" : "");
		if (fs[i].hi != fs[i].lo)
			fprintf(f, "%u", fs[i].lo);
		fputs("</td><td>", f);
		esc(f, fs[i].d->name);
		fprintf(f, "</td><td class=\"mono\">0x%llx</td><td>", (unsigned long long)v);
		meaning(f, fs[i].d, v, fs[i].hi - fs[i].lo + 1);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void registers(FILE *f, const struct rh_input *in)
{
	const struct jv *raw = jv_get(in->root, "raw");
	unsigned pa = (unsigned)jv_num(jv_get(in->root, "phys_bits"), 52);
	int shown = 0;
	fputs("<h2 id=\"registers\">Memory-encryption registers</h2>\n", f);
	if (!raw) {
		fputs("<p class=\"note\">This input holds no register values (a last-run record keeps results only); "
		      "make the report from report.json or a profile to see them.</p>\n", f);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
		u64 v;
		if (!hexval(jv_get(raw, regs[i].name), &v))
			continue;
		one_register(f, &regs[i], v, pa, "value read on CPU 0");
		shown++;
	}
	/* MK_TME_CORE_ACTIVATE is per core and not in the JSON: CPU 0's from the grid. */
	for (int r = 0; in->percpu && r < in->percpu->nregs; r++)
		if (in->percpu->msr[r] == 0x9ff && !in->percpu->fault[r][0]) {
			for (size_t i = 0; i < ARRAY_SIZE(regs); i++)
				if (regs[i].msr == 0x9ff)
					one_register(f, &regs[i], in->percpu->val[r][0], pa, "CPU 0; every CPU in the grid below");
			shown++;
		}
	if (!shown)
		fputs("<p class=\"note\">No memory-encryption register was read (none is enumerated on this "
		      "platform).</p>\n", f);
}

/* ---- per-CPU grid ------------------------------------------------------- */

static void percpu(FILE *f, const struct rh_input *in)
{
	const struct rh_percpu *pc = in->percpu;
	fputs("<h2 id=\"percpu\">Per-CPU consistency</h2>\n", f);
	if (!pc || !pc->nregs) {
		fputs("<p class=\"note\">Per-CPU values are not part of this input (JSON carries CPU 0's); the "
		      "per-CPU checks' verdicts:</p>\n<table>\n<tr><th>Verdict</th><th>Check</th><th>Detail</th></tr>\n", f);
		static const char *const ids[] = { "tme.consistent", "mktme.core_activate", "sme.enabled", "sev.usable",
						   "snp.enabled" };
		const struct jv *checks = jv_get(in->root, "checks");
		for (size_t i = 0; checks && checks->type == JV_ARR && i < checks->n; i++) {
			const char *id = jv_str(jv_get(&checks->items[i], "id"), "");
			for (size_t k = 0; k < ARRAY_SIZE(ids); k++) {
				if (strcmp(id, ids[k]))
					continue;
				const char *v = jv_str(jv_get(&checks->items[i], "verdict"), "?");
				fprintf(f, "<tr class=\"%s\"><td class=\"v\">%s</td><td class=\"mono\">%s</td><td>",
					verdict_class(v), v, id);
				esc(f, jv_str(jv_get(&checks->items[i], "detail"), ""));
				fputs("</td></tr>\n", f);
			}
		}
		fputs("</table>\n", f);
		return;
	}
	int differ = 0;
	fputs("<table id=\"percpu-grid\">\n<tr><th>CPU</th>", f);
	for (int r = 0; r < pc->nregs; r++)
		fprintf(f, "<th>%s<br><span class=\"note\">MSR %XH</span></th>", pc->reg[r], pc->msr[r]);
	fputs("</tr>\n", f);
	for (int c = 0; c < pc->cpus; c++) {
		fprintf(f, "<tr><th>%d</th>", c);
		for (int r = 0; r < pc->nregs; r++) {
			int ft = pc->fault[r][c];
			bool d = !ft && !pc->fault[r][0] && pc->val[r][c] != pc->val[r][0];
			differ += d;
			if (ft < 0)
				fputs("<td class=\"skip\">unreachable</td>", f);
			else if (ft)
				fprintf(f, "<td class=\"skip\">fault (vector %d)</td>", ft);
			else
				fprintf(f, "<td class=\"mono%s\">%s0x%016llx</td>", d ? " differ" : "", d ? "&ne; " : "",
					(unsigned long long)pc->val[r][c]);
		}
		fputs("</tr>\n", f);
	}
	fprintf(f, "</table>\n<p>%d value%s differ%s from CPU 0 (marked &ne;).</p>\n", differ, differ == 1 ? "" : "s",
		differ == 1 ? "s" : "");
}

/* ---- KeyID / C-bit layout ----------------------------------------------- */

static void bar_cell(FILE *f, const char *cls, unsigned hi, unsigned lo, const char *what)
{
	fprintf(f, "<td class=\"%s\" colspan=\"%u\">bits %u:%u<br>%s</td>", cls, hi - lo + 1 > 12 ? 12 : hi - lo + 1, hi,
		lo, what);
}

static void layout(FILE *f, const struct jv *r)
{
	unsigned pa = (unsigned)jv_num(jv_get(r, "phys_bits"), 0);
	unsigned kbits = (unsigned)jv_num(jv_path(r, "tme.keyid_bits"), 0);
	unsigned shift = (unsigned)jv_num(jv_path(r, "tme.keyid_shift"), 0);
	bool sme = jv_bool(jv_path(r, "sme.supported"), false);
	unsigned cbit = (unsigned)jv_num(jv_path(r, "sme.c_bit"), 0);
	fputs("<h2 id=\"layout\">Physical address layout</h2>\n", f);
	if (!pa) {
		fputs("<p class=\"note\">MAXPHYADDR is not part of this input.</p>\n", f);
		return;
	}
	fputs("<table class=\"bar\"><tr>", f);
	if (pa < 64 && !(sme && cbit && !(kbits && shift + kbits == pa)))
		bar_cell(f, "res", 63, pa, "reserved (above MAXPHYADDR)");
	if (kbits && shift + kbits == pa) {
		char what[160];
		snprintf(what, sizeof(what), "KeyID (%u bits: %g KeyIDs, %g MKTME, %g TDX private)", kbits,
			 jv_num(jv_path(r, "tme.keyids"), 0), jv_num(jv_path(r, "tme.mktme_keyids"), 0),
			 jv_num(jv_path(r, "tme.tdx_keyids"), 0));
		bar_cell(f, "kid", pa - 1, shift, what);
		bar_cell(f, "addr", shift - 1, 0, "physical address");
	} else if (sme && cbit && cbit < 64) {
		/* pa < 64 put bits 63:pa as reserved already; the C-bit may sit above MAXPHYADDR. */
			if (cbit < 63)
			bar_cell(f, "res", 63, cbit + 1, "reserved");
		bar_cell(f, "cbit", cbit, cbit, "C-bit");
		if (cbit > pa)
			bar_cell(f, "res", cbit - 1, pa, "reserved (above MAXPHYADDR)");
		else if (cbit + 1 < pa)
			bar_cell(f, "addr", pa - 1, cbit + 1, "address");
		bar_cell(f, "addr", (cbit < pa ? cbit : pa) - 1, 0, "physical address");
	} else {
		bar_cell(f, "addr", pa - 1, 0, "physical address (no KeyID bits activated)");
	}
	fputs("</tr></table>\n<p>", f);
	if (kbits && shift + kbits == pa)
		fprintf(f, "MAXPHYADDR %u with %u KeyID bits: the KeyID sits in bits %u:%u (Intel seed 5.1: the upper "
			"bits starting with the highest bit of MAX_PA); the usable address is %u bits. Example: KeyID 1 "
			"of physical address 0x1000 is 0x%llx.", pa, kbits, pa - 1, shift, shift,
			(unsigned long long)((1ull << shift) | 0x1000));
	else if (sme && cbit)
		fprintf(f, "C-bit %u (CPUID 0x8000001F EBX[5:0]); %g address bits lost when SME is on. Example: "
			"physical address 0xABCDE321 with the C-bit is 0x%llx (AMD seed, SEV address translation).", cbit,
			jv_num(jv_path(r, "sme.reduced_phys_bits"), 0), (unsigned long long)(0xABCDE321ull | (1ull << cbit)));
	else
		fprintf(f, "MAXPHYADDR %u; no KeyID bits or C-bit in use.", pa);
	fputs("</p>\n", f);
}

int rh_write(FILE *f, const struct rh_input *in)
{
	const struct jv *sum = jv_get(in->root, "summary");
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>memcrypt audit report</title>\n<style>%s</style></head><body>\n"
		"<h1>memcrypt audit report: memory encryption (TME/MKTME, SME/SEV)</h1>\n", CSS);
	if (sum)
		fprintf(f, "<p class=\"%s\" id=\"overall\"><b>%s</b>: %g FAIL, %g WARN</p>\n",
			jv_num(jv_get(sum, "fail"), 0) ? "fail" : "pass",
			jv_num(jv_get(sum, "fail"), 0) ? "Enablement has failures" : "No failures",
			jv_num(jv_get(sum, "fail"), 0), jv_num(jv_get(sum, "warn"), 0));
	provenance(f, in);
	verdicts(f, in->root);
	registers(f, in);
	percpu(f, in);
	layout(f, in->root);
	fputs("</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
