/* The kernel's SHA-256, embedded in BOOTX64.EFI at build time, checked
 * before the kernel file is parsed or run. Secure Boot makes the firmware
 * verify BOOTX64.EFI; this makes the stage verify the one file it loads
 * after that, so the chain never ends in an unchecked kernel.elf.
 *
 * The digest is not compiled in: the Makefile links the stage with the
 * marker and 32 zero bytes, then scripts/embed-kernel-hash writes
 * sha256sum's digest of kernel.elf right after the marker (it must occur
 * once in the file). Zero bytes mean the step did not run: refused too. */
#include "efi/stage.h"
#include "lib/crypto/sha256.h"
#include "lib/mem.h"
#include "lib/report.h"

#define DIGEST_MARKER "memcrypt-kernel-sha256-v1:"   /* scripts/embed-kernel-hash */

struct stage_kernel_digest {
	char magic[sizeof(DIGEST_MARKER) - 1];
	u8   sha256[MC_SHA256_LEN];
};

/* Not static, not const: the compiler must read what the file holds. */
struct stage_kernel_digest stage_kernel_digest __attribute__((used)) = {
	.magic = DIGEST_MARKER,
};

/* The firmware's SecureBoot and SetupMode variables (UEFI 2.x, 3.3 Globally
 * Defined Variables): one INFO line saying whether the firmware checked
 * this stage's signature before it ran. */
static void report_secure_boot(struct mc_results *res)
{
	UINTN n = 0, m = 0;
	u8 *sb = LibGetVariableAndSize(L"SecureBoot", &EfiGlobalVariable, &n);
	u8 *setup = LibGetVariableAndSize(L"SetupMode", &EfiGlobalVariable, &m);
	int on = sb && n == 1 ? sb[0] : -1, mode = setup && m == 1 ? setup[0] : -1;

	if (on == 1)
		mc_report(res, MC_INFO, "uefi.secure_boot", "SecureBoot=1 SetupMode=%d: the firmware verified this "
			  "stage's signature; kernel.elf is verified by its SHA-256 below", mode);
	else
		mc_report(res, MC_INFO, "uefi.secure_boot", "Secure Boot off (SecureBoot=%d SetupMode=%d): no "
			  "signature was checked; kernel.elf is still verified by its SHA-256", on, mode);
	if (sb)
		FreePool(sb);
	if (setup)
		FreePool(setup);
}

bool stage_verify_kernel(const void *file, UINTN size, const char *display_path, struct mc_results *res)
{
	u8 want[MC_SHA256_LEN], got[MC_SHA256_LEN];
	char want_hex[2 * MC_SHA256_LEN + 1], got_hex[2 * MC_SHA256_LEN + 1];
	const volatile u8 *embedded = stage_kernel_digest.sha256;

	report_secure_boot(res);

	for (int i = 0; i < MC_SHA256_LEN; i++)
		want[i] = embedded[i];
	if (mc_is_zero(want, sizeof(want))) {
		mc_report(res, MC_FAIL, "uefi.kernel_sha256",
			  "%s: not loaded: this BOOTX64.EFI carries no kernel digest (built without "
			  "scripts/embed-kernel-hash)", display_path);
		return false;
	}
	mc_sha256(file, size, got);
	mc_sha256_hex(want, want_hex);
	mc_sha256_hex(got, got_hex);
	if (mc_memcmp(want, got, sizeof(want))) {
		mc_report(res, MC_FAIL, "uefi.kernel_sha256",
			  "%s: SHA-256 %.16s... differs from %.16s... embedded in BOOTX64.EFI at build time: "
			  "the kernel was changed after the build; not loading it", display_path, got_hex, want_hex);
		return false;
	}
	mc_report(res, MC_PASS, "uefi.kernel_sha256", "%s: SHA-256 %s (%llu bytes) matches the digest embedded in BOOTX64.EFI",
		  display_path, got_hex, (unsigned long long)size);
	return true;
}
