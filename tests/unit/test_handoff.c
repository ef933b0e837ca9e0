/* lib/handoff.c: the kernel refuses a handoff it cannot trust. */
#include "tests/unit/harness.h"
#include "lib/handoff.h"
#include <stdlib.h>
#include <string.h>

static struct mc_handoff *good(void)
{
	static struct mc_mem_range mm[2];
	struct mc_handoff *h = calloc(1, sizeof(*h));
	h->magic = MC_HANDOFF_MAGIC;
	h->version = MC_HANDOFF_VERSION;
	h->size = sizeof(*h);
	h->memmap = (u64)(uintptr_t)mm;
	h->memmap_count = 2;
	h->memmap_entry_size = sizeof(struct mc_mem_range);
	h->scratch_base = 0x100000;
	h->scratch_size = 4 << 20;
	return h;
}

static bool refused(struct mc_handoff *h, const char *needle)
{
	char err[200] = "";
	bool ok = mc_handoff_validate(h, err, sizeof(err));
	free(h);
	return !ok && strstr(err, needle);
}

TEST(handoff, validation)
{
	char err[200] = "";
	struct mc_handoff *h = good();
	EXPECT(mc_handoff_validate(h, err, sizeof(err)), "a well-formed handoff validates (%s)", err);
	free(h);
	h = good(); h->magic ^= 1;
	EXPECT(refused(h, "bad magic"), "bad magic refused and named");
	h = good(); h->version = 99;
	EXPECT(refused(h, "version 99"), "unknown version refused and named");
	h = good(); h->size -= 8;
	EXPECT(refused(h, "size"), "wrong size refused");
	h = good(); h->memmap_count = MC_MEMMAP_MAX + 1;
	EXPECT(refused(h, "memory map invalid"), "oversized memory map refused");
	h = good(); h->memmap_entry_size = 48;
	EXPECT(refused(h, "memory map invalid"), "foreign descriptor size refused");
	h = good(); h->fb.format = MC_FB_BGRX; h->fb.base = 0x80000000; h->fb.width = 1024; h->fb.height = 768;
	h->fb.stride = 1024; h->fb.size = 1024 * 768 * 2;
	EXPECT(refused(h, "framebuffer invalid"), "framebuffer smaller than stride*height*4 refused");
	h = good(); h->results.count = MC_MAX_RESULTS + 1;
	EXPECT(refused(h, "results count"), "results count above capacity refused");
	h = good(); h->model_state = 0x1000;
	EXPECT(refused(h, "model state"), "model address without size refused");
	h = good(); h->cpu_count = 2; h->mp_count = 3;
	EXPECT(refused(h, "MP survey"), "an MP survey longer than the CPU count refused");
	h = good(); h->trampoline = 0x9f800;
	EXPECT(refused(h, "trampoline"), "an unaligned AP trampoline page refused");
	h = good(); h->trampoline = 0x100000;
	EXPECT(refused(h, "below 1 MiB"), "an AP trampoline page at 1 MiB refused (a SIPI cannot reach it)");
	h = good(); h->trampoline = 0x8000; h->cpu_count = 4; h->mp_count = 4;
	EXPECT(mc_handoff_validate(h, err, sizeof(err)), "a trampoline page at 0x8000 and a 4-CPU survey validate (%s)", err);
	free(h);
	h = good(); memset(h->options, 'x', sizeof(h->options));
	EXPECT(refused(h, "not terminated"), "unterminated options refused");
	EXPECT(!mc_handoff_validate(NULL, err, sizeof(err)), "NULL handoff refused");
}

TEST(handoff, options)
{
	char v[16];
	EXPECT(mc_option_get("a=1 kernel-test=gp exit=halt", "kernel-test", v, sizeof(v)) && !strcmp(v, "gp"),
	       "option found among others");
	EXPECT(!mc_option_get("kernel-testx=gp", "kernel-test", v, sizeof(v)), "a longer key does not match");
	EXPECT(!mc_option_get("", "kernel-test", v, sizeof(v)), "empty options have nothing");
}

TEST(handoff, ram_top)
{
	/* RAM as Linux's max_pfn counts it: usable and loader ranges; the
	 * highest reserved, MMIO or persistent range above does not raise it. */
	const struct mc_mem_range map[] = {
		{ .base = 0, .pages = 0x9f, .type = MC_MEM_USABLE },
		{ .base = 0x100000, .pages = 0x7ff00, .type = MC_MEM_USABLE },
		{ .base = 0x80000000, .pages = 0x100, .type = MC_MEM_LOADER },
		{ .base = 0xe0000000, .pages = 0x10000, .type = MC_MEM_MMIO },
		{ .base = 0x100000000ULL, .pages = 0x40000, .type = MC_MEM_RESERVED },
		{ .base = 0x200000000ULL, .pages = 0x40000, .type = MC_MEM_PERSISTENT },
	};
	EXPECT(mc_mem_ram_top(map, 6) == 0x80100000ULL, "ram top is the end of the last loader range, 0x80100000 (got 0x%llx)",
	       (unsigned long long)mc_mem_ram_top(map, 6));
	EXPECT(mc_mem_ram_top(map, 2) == 0x80000000ULL, "ram top of the two usable ranges alone is 0x80000000");
	EXPECT(mc_mem_ram_top(map + 3, 3) == 0, "a map of MMIO, reserved and persistent ranges has no RAM (top 0)");
	EXPECT(mc_mem_ram_top(map, 0) == 0, "an empty map has ram top 0");
}
