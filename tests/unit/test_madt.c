/* lib/madt.c on hand-made ACPI tables: the processors the kernel starts. */
#include "tests/unit/harness.h"
#include "lib/madt.h"
#include <string.h>
#include <stdint.h>

/* A fake physical memory: RSDP at 0x100, XSDT at 0x200, MADT at 0x400. */
static uint8_t mem[4096];

static const void *phys(void *arg, u64 pa, size_t len)
{
	return pa + len <= sizeof(mem) ? mem + pa : NULL;
}

static void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* entries: the MADT's variable part. */
static void build(const uint8_t *entries, size_t n)
{
	memset(mem, 0, sizeof(mem));
	uint8_t *r = mem + 0x100, *x = mem + 0x200, *m = mem + 0x400;
	memcpy(r, "RSD PTR ", 8);
	r[15] = 2;
	put32(r + 20, 36);
	put64(r + 24, 0x200);
	fix_sum(r, 20, 8);
	fix_sum(r, 36, 32);
	memcpy(x, "XSDT", 4);
	put32(x + 4, 36 + 16);
	put64(x + 36, 0x300);             /* another table first: skipped */
	put64(x + 44, 0x400);
	fix_sum(x, 52, 9);
	memcpy(mem + 0x300, "FACP", 4);
	put32(mem + 0x304, 36);
	memcpy(m, "APIC", 4);
	put32(m + 4, (uint32_t)(44 + n));
	put32(m + 36, 0xfee00000);
	memcpy(m + 44, entries, n);
	fix_sum(m, 44 + n, 9);
}

TEST(madt, processors)
{
	static struct mc_madt t;
	char err[120] = "";
	const uint8_t e[] = {
		0, 8, 0, 0, 1, 0, 0, 0,            /* APIC ID 0, enabled */
		0, 8, 1, 2, 1, 0, 0, 0,            /* APIC ID 2, enabled */
		0, 8, 2, 4, 0, 0, 0, 0,            /* APIC ID 4, disabled */
		0, 8, 3, 6, 2, 0, 0, 0,            /* APIC ID 6, online capable */
		9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0,   /* x2APIC ID 256 */
		9, 16, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 10, 0, 0, 0,        /* x2APIC ID 2 again: one CPU */
		1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0,               /* an I/O APIC: ignored */
	};
	build(e, sizeof(e));
	EXPECT(mc_madt_read(0x100, phys, NULL, &t, err, sizeof(err)) == 0, "RSDP -> XSDT -> MADT found (%s)", err);
	EXPECT(t.count == 4 && t.apic_id[0] == 0 && t.apic_id[1] == 2 && t.apic_id[2] == 6 && t.apic_id[3] == 256,
	       "enabled and online-capable xAPIC entries and the x2APIC entry, in table order, duplicates once (%u)", t.count);
	EXPECT(t.x2apic[3] && !t.x2apic[0], "the x2APIC entry is marked as such");
	EXPECT(t.disabled == 1, "the disabled entry is counted apart (%u)", t.disabled);
	EXPECT(t.lapic_addr == 0xfee00000, "local APIC address from the MADT header");

	const uint8_t o[] = { 0, 8, 0, 0, 1, 0, 0, 0, 5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0 };
	build(o, sizeof(o));
	EXPECT(mc_madt_read(0x100, phys, NULL, &t, err, sizeof(err)) == 0 && t.lapic_addr == 0x1fee00000ULL,
	       "a type 5 override replaces the local APIC address");

	build(e, sizeof(e));
	mem[0x400 + 50] ^= 1;
	EXPECT(mc_madt_read(0x100, phys, NULL, &t, err, sizeof(err)) < 0 && strstr(err, "MADT"),
	       "a MADT whose checksum is wrong is refused and named (%s)", err);
	build(e, sizeof(e));
	mem[0x101] = 'X';
	EXPECT(mc_madt_read(0x100, phys, NULL, &t, err, sizeof(err)) < 0 && strstr(err, "RSDP"), "a bad RSDP is refused");
	EXPECT(mc_madt_read(0, phys, NULL, &t, err, sizeof(err)) < 0, "no RSDP: refused");
}
