/* ACPI 6.x: RSDP (5.2.5.3) -> XSDT (5.2.8, 64-bit entries; the RSDT's 32-bit
 * ones only for revision 0) -> the table signed "APIC" (5.2.12). Every
 * table's bytes must sum to 0 (5.2.6). */
#include "lib/madt.h"
#include "lib/fmt.h"
#include "lib/mem.h"

static u32 le32(const u8 *p) { return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24; }
static u64 le64(const u8 *p) { return (u64)le32(p) | (u64)le32(p + 4) << 32; }

static bool sum_ok(const u8 *p, size_t len)
{
	u8 s = 0;
	for (size_t i = 0; i < len; i++)
		s = (u8)(s + p[i]);
	return s == 0;
}

/* A whole SDT (header first, then its length), checksum verified. */
static const u8 *sdt(u64 pa, mc_phys_fn phys, void *arg)
{
	const u8 *h = phys(arg, pa, 36);
	if (!h)
		return NULL;
	u32 len = le32(h + 4);
	if (len < 36 || len > (1u << 20))
		return NULL;
	const u8 *t = phys(arg, pa, len);
	return t && sum_ok(t, len) ? t : NULL;
}

static void add(struct mc_madt *m, u32 apic_id, bool x2)
{
	for (u32 i = 0; i < m->count; i++)
		if (m->apic_id[i] == apic_id)
			return;
	if (m->count == MC_MADT_MAX_CPUS) {
		m->overflow++;
		return;
	}
	m->x2apic[m->count] = x2;
	m->apic_id[m->count++] = apic_id;
}

static void parse_madt(const u8 *t, struct mc_madt *m)
{
	u32 len = le32(t + 4);
	m->lapic_addr = le32(t + 36);
	for (u32 off = 44; off + 2 <= len;) {
		u8 type = t[off], elen = t[off + 1];
		if (elen < 2 || off + elen > len)
			break;
		const u8 *e = t + off;
		if (type == 0 && elen >= 8) {
			u32 flags = le32(e + 4);
			if (flags & 3)           /* enabled, or online capable */
				add(m, e[3], false);
			else
				m->disabled++;
		} else if (type == 9 && elen >= 16) {
			u32 flags = le32(e + 8);
			if (flags & 3)
				add(m, le32(e + 4), true);
			else
				m->disabled++;
		} else if (type == 5 && elen >= 12) {
			m->lapic_addr = le64(e + 4);
		}
		off += elen;
	}
}

int mc_madt_read(u64 rsdp, mc_phys_fn phys, void *arg, struct mc_madt *out, char *err, size_t errlen)
{
	mc_memset(out, 0, sizeof(*out));
	const u8 *r = rsdp ? phys(arg, rsdp, 36) : NULL;
	if (!r || mc_memcmp(r, "RSD PTR ", 8) || !sum_ok(r, 20)) {
		mc_snprintf(err, errlen, "no valid RSDP at 0x%llx", (unsigned long long)rsdp);
		return -1;
	}
	bool xsdt = r[15] >= 2 && le64(r + 24);
	if (xsdt && !sum_ok(r, 36)) {
		mc_snprintf(err, errlen, "RSDP extended checksum wrong");
		return -1;
	}
	u64 root_pa = xsdt ? le64(r + 24) : le32(r + 16);
	const u8 *root = sdt(root_pa, phys, arg);
	if (!root || mc_memcmp(root, xsdt ? "XSDT" : "RSDT", 4)) {
		mc_snprintf(err, errlen, "%s at 0x%llx missing or bad checksum", xsdt ? "XSDT" : "RSDT",
			    (unsigned long long)root_pa);
		return -1;
	}
	u32 esz = xsdt ? 8 : 4, n = (le32(root + 4) - 36) / esz;
	for (u32 i = 0; i < n; i++) {
		const u8 *p = root + 36 + i * esz;
		u64 pa = xsdt ? le64(p) : le32(p);
		const u8 *h = phys(arg, pa, 36);
		if (!h || mc_memcmp(h, "APIC", 4))
			continue;
		const u8 *t = sdt(pa, phys, arg);
		if (!t || le32(t + 4) < 44) {
			mc_snprintf(err, errlen, "MADT at 0x%llx has a bad checksum or length", (unsigned long long)pa);
			return -1;
		}
		parse_madt(t, out);
		return 0;
	}
	mc_snprintf(err, errlen, "no MADT (\"APIC\") among %u tables", n);
	return -1;
}
