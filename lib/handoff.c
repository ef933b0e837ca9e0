#include "lib/handoff.h"
#include "lib/fmt.h"
#include "lib/mem.h"

bool mc_handoff_validate(const struct mc_handoff *h, char *err, size_t errlen)
{
	if (!h) {
		mc_snprintf(err, errlen, "handoff pointer is NULL");
		return false;
	}
	if (h->magic != MC_HANDOFF_MAGIC) {
		mc_snprintf(err, errlen, "bad magic 0x%016llx (expected 0x%016llx)",
			    (unsigned long long)h->magic, (unsigned long long)MC_HANDOFF_MAGIC);
		return false;
	}
	if (h->version != MC_HANDOFF_VERSION) {
		mc_snprintf(err, errlen, "version %u, this kernel understands %u",
			    h->version, MC_HANDOFF_VERSION);
		return false;
	}
	if (h->size != sizeof(*h)) {
		mc_snprintf(err, errlen, "size %u, expected %u", h->size, (unsigned)sizeof(*h));
		return false;
	}
	if (!h->memmap || !h->memmap_count || h->memmap_count > MC_MEMMAP_MAX ||
	    h->memmap_entry_size != sizeof(struct mc_mem_range)) {
		mc_snprintf(err, errlen, "memory map invalid (at 0x%llx, %u entries of %u bytes)",
			    (unsigned long long)h->memmap, h->memmap_count, h->memmap_entry_size);
		return false;
	}
	if (h->fb.format > MC_FB_BITMASK ||
	    (h->fb.format != MC_FB_NONE &&
	     (!h->fb.base || h->fb.stride < h->fb.width ||
	      /* stride * height fits in 64 bits; times 4 may not */
	      (u64)h->fb.stride * h->fb.height > h->fb.size / 4))) {
		mc_snprintf(err, errlen, "framebuffer invalid (%ux%u stride %u size 0x%llx)",
			    h->fb.width, h->fb.height, h->fb.stride, (unsigned long long)h->fb.size);
		return false;
	}
	if (h->results.count > MC_MAX_RESULTS) {
		mc_snprintf(err, errlen, "results count %u above %u", h->results.count, MC_MAX_RESULTS);
		return false;
	}
	if ((h->model_state == 0) != (h->model_size == 0)) {
		mc_snprintf(err, errlen, "model state 0x%llx with size 0x%llx",
			    (unsigned long long)h->model_state, (unsigned long long)h->model_size);
		return false;
	}
	if (!h->scratch_base || h->scratch_size < 64 * 1024) {
		mc_snprintf(err, errlen, "scratch area 0x%llx+0x%llx too small",
			    (unsigned long long)h->scratch_base, (unsigned long long)h->scratch_size);
		return false;
	}
	if (h->mp_count > MC_HANDOFF_MAX_CPUS || h->mp_count > h->cpu_count) {
		mc_snprintf(err, errlen, "MP survey of %u CPUs (stage saw %u, room for %u)", h->mp_count, h->cpu_count,
			    MC_HANDOFF_MAX_CPUS);
		return false;
	}
	if (h->trampoline && ((h->trampoline & 0xfff) || h->trampoline + 4096 > MC_TRAMPOLINE_MAX)) {
		mc_snprintf(err, errlen, "AP trampoline page 0x%llx not a page below 1 MiB", (unsigned long long)h->trampoline);
		return false;
	}
	if (h->options[sizeof(h->options) - 1] || h->platform_name[sizeof(h->platform_name) - 1]) {
		mc_snprintf(err, errlen, "options or platform name not terminated");
		return false;
	}
	return true;
}

u64 mc_mem_ram_top(const struct mc_mem_range *r, u32 n)
{
	u64 top = 0;
	for (u32 i = 0; i < n; i++) {
		u64 end = r[i].base + r[i].pages * 4096;
		if (mc_mem_is_ram(r[i].type) && end > top)
			top = end;
	}
	return top;
}

bool mc_option_get(const char *options, const char *key, char *val, size_t vallen)
{
	size_t klen = mc_strlen(key);
	const char *p = options;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) > klen && !mc_strncmp(p, key, klen) && p[klen] == '=') {
			size_t n = (size_t)(end - p) - klen - 1;
			if (n >= vallen)
				n = vallen - 1;
			mc_memcpy(val, p + klen + 1, n);
			val[n] = 0;
			return true;
		}
		p = end;
	}
	return false;
}
