/* The firmware memory map, translated at once into struct mc_mem_range
 * (stepping by the descriptor size the firmware reports, never sizeof), and
 * ExitBootServices with the retry the UEFI spec requires: a map key that
 * went stale (EFI_INVALID_PARAMETER) means get the map again and retry. */
#include "efi/stage.h"
#include "lib/mem.h"
#include "lib/checks/checks.h"

static u32 translate_type(u32 t)
{
	switch (t) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return MC_MEM_USABLE;
	case EfiLoaderCode:
	case EfiLoaderData:
		return MC_MEM_LOADER;
	case EfiACPIReclaimMemory:
		return MC_MEM_ACPI_RECLAIM;
	case EfiACPIMemoryNVS:
		return MC_MEM_ACPI_NVS;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return MC_MEM_MMIO;
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
		return MC_MEM_RUNTIME;
	case EfiUnusableMemory:
		return MC_MEM_UNUSABLE;
	case 14: /* EfiPersistentMemory (UEFI 2.5) */
		return MC_MEM_PERSISTENT;
	default:
		return MC_MEM_RESERVED;
	}
}

static u32 translate(const u8 *map, UINTN size, UINTN desc_size, struct mc_mem_range *out, u32 max)
{
	u32 n = 0;
	for (UINTN off = 0; off + desc_size <= size && n < max; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(map + off);
		out[n++] = (struct mc_mem_range){
			.base = d->PhysicalStart,
			.pages = d->NumberOfPages,
			.type = translate_type(d->Type),
			.efi_type = d->Type,
			.attr = (d->Attribute & EFI_MEMORY_CPU_CRYPTO) ? MC_MEM_ATTR_CPU_CRYPTO : 0,
		};
	}
	return n;
}

void stage_memmap_check_input(struct mc_check_input *in)
{
	UINTN entries, key, desc_size;
	UINT32 ver;
	u8 *map = (u8 *)LibMemoryMap(&entries, &key, &desc_size, &ver);
	in->conventional_bytes = in->crypto_bytes = in->ram_top = 0;
	if (!map)
		return;
	struct mc_mem_range *ranges = AllocatePool(entries * sizeof(*ranges));
	if (ranges) {
		u32 n = translate(map, entries * desc_size, desc_size, ranges, (u32)entries);
		in->ram_top = mc_mem_ram_top(ranges, n);
		for (u32 i = 0; i < n; i++) {
			if (ranges[i].efi_type != EfiConventionalMemory)
				continue;
			in->conventional_bytes += ranges[i].pages * 4096;
			if (ranges[i].attr & MC_MEM_ATTR_CPU_CRYPTO)
				in->crypto_bytes += ranges[i].pages * 4096;
		}
		FreePool(ranges);
	}
	FreePool(map);
}

EFI_STATUS stage_exit_boot_services(EFI_HANDLE image, struct mc_handoff *h,
				    struct mc_mem_range *ranges, u32 max_ranges)
{
	/* The buffer for the firmware's map is allocated once, with slack,
	 * before the final GetMemoryMap: allocating after it would change the
	 * map and invalidate the key. */
	UINTN size = 0, key, desc_size;
	UINT32 ver;
	EFI_STATUS s = BS->GetMemoryMap(&size, NULL, &key, &desc_size, &ver);
	if (s != EFI_BUFFER_TOO_SMALL)
		return s;
	UINTN cap = size + 16 * desc_size;
	EFI_PHYSICAL_ADDRESS buf;
	s = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, (cap + 4095) / 4096, &buf);
	if (EFI_ERROR(s))
		return s;
	for (int attempt = 0; attempt < 8; attempt++) {
		size = cap;
		s = BS->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)(uintptr_t)buf, &key, &desc_size, &ver);
		if (EFI_ERROR(s))
			return s;
		h->memmap_count = translate((const u8 *)(uintptr_t)buf, size, desc_size, ranges, max_ranges);
		h->memmap = (u64)(uintptr_t)ranges;
		h->memmap_entry_size = sizeof(struct mc_mem_range);
		/* No output, no allocation between GetMemoryMap and here. */
		s = BS->ExitBootServices(image, key);
		if (s != EFI_INVALID_PARAMETER)
			return s;
	}
	return s;
}
