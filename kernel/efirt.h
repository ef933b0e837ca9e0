/* The only firmware services the kernel uses, reached through the runtime
 * services table the stage handed over (UEFI 2.x, 8.1/8.2; no
 * SetVirtualAddressMap was called, so the firmware runs identity-mapped). */
#ifndef MC_KERNEL_EFIRT_H
#define MC_KERNEL_EFIRT_H
#include "lib/types.h"

#define EFIRT_RESET_COLD 0

struct efirt_guid {
	u32 d1;
	u16 d2, d3;
	u8  d4[8];
};

/* UEFI status codes we name (high bit = error). */
#define EFIRT_SUCCESS          0ULL
#define EFIRT_ERROR(n)         (BIT_ULL(63) | (n))

void efirt_init(u64 runtime_services);
bool efirt_available(void);
/* SetVariable(name, guid, NV|BS|RT, size, data); returns the EFI status. */
u64  efirt_set_variable(const u16 *name, const struct efirt_guid *guid, u32 attrs, u64 size, const void *data);
void efirt_reset_cold(void);

#endif
