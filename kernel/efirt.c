#include "kernel/efirt.h"

/* EFI_RUNTIME_SERVICES layout: a 24-byte table header, then the services in
 * the UEFI-specified order. Only the two we call are typed. */
struct efirt_table {
	u64 signature;
	u32 revision, header_size, crc32, reserved;
	void *get_time, *set_time, *get_wakeup_time, *set_wakeup_time;
	void *set_virtual_address_map, *convert_pointer;
	void *get_variable, *get_next_variable_name;
	u64 (__attribute__((ms_abi)) *set_variable)(const u16 *name, const struct efirt_guid *guid,
						    u32 attrs, u64 size, const void *data);
	void *get_next_high_monotonic_count;
	void (__attribute__((ms_abi)) *reset_system)(u32 type, u64 status, u64 size, const void *data);
};

#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ULL  /* "RUNTSERV" */

static struct efirt_table *rt;

void efirt_init(u64 runtime_services)
{
	struct efirt_table *t = (struct efirt_table *)(uintptr_t)runtime_services;
	rt = (t && t->signature == EFI_RUNTIME_SERVICES_SIGNATURE) ? t : 0;
}

bool efirt_available(void)
{
	return rt != 0;
}

u64 efirt_set_variable(const u16 *name, const struct efirt_guid *guid, u32 attrs, u64 size, const void *data)
{
	if (!rt)
		return EFIRT_ERROR(3);   /* EFI_UNSUPPORTED */
	return rt->set_variable(name, guid, attrs, size, data);
}

void efirt_reset_cold(void)
{
	if (rt)
		rt->reset_system(EFIRT_RESET_COLD, 0, 0, 0);
}
