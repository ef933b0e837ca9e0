/* A bump allocator over the scratch pages the UEFI stage reserved for us
 * (EfiLoaderData, so nothing else owns them after ExitBootServices). The
 * kernel never frees: a run is short and bounded. */
#include "kernel/kernel.h"
#include "lib/mem.h"

static u64 next, end;

void kalloc_init(u64 base, u64 size);
void kalloc_init(u64 base, u64 size)
{
	next = (base + 4095) & ~4095ULL;
	end = base + size;
}

void *kalloc_pages(u64 count)
{
	u64 bytes = count * 4096;
	if (!count || bytes / 4096 != count || next + bytes > end || next + bytes < next)
		return 0;
	void *p = (void *)(uintptr_t)next;
	next += bytes;
	mc_memset(p, 0, bytes);
	return p;
}

u64 kalloc_free_bytes(void)
{
	return end - next;
}
