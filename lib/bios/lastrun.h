/* The last-run record: the kernel's results, stored after ExitBootServices
 * in a non-volatile UEFI variable so they survive the reset on real boxes;
 * read back by the next boot of the UEFI stage and by `memcrypt show-last`
 * (efivarfs). Compact binary, little-endian, never key bytes (results never
 * hold any: lib/report.h). Layout (docs/bios-stage.md):
 *
 *   0  "MCLR"          4  u16 format (1)      6  u16 flags (MC_LASTRUN_*)
 *   8  u32 size        12 u32 results total   16 u32 count[5] (PASS FAIL
 *   WARN SKIP INFO)    36 u32 stored          40 u32 omitted
 *   44 char version[12]  56 char platform[32]  88 entries:
 *   u8 verdict, u8 stage, u8 id_len, u8 detail_len, id, detail (no NULs)
 *
 * The entries are the FAIL results, then the WARN results, as many as fit
 * in MC_LASTRUN_MAX bytes (small enough for any firmware's variable store);
 * `omitted` counts the FAIL/WARN results that did not fit. */
#ifndef MC_BIOS_LASTRUN_H
#define MC_BIOS_LASTRUN_H
#include "lib/types.h"
#include "lib/report.h"

/* Variable name and the project's vendor GUID
 * b7bb194e-983f-4bfb-a4e5-bf862992506d. */
#define MC_LASTRUN_VAR_NAME   "MemcryptLastRun"
#define MC_LASTRUN_GUID_STR   "b7bb194e-983f-4bfb-a4e5-bf862992506d"
#define MC_LASTRUN_GUID_D1    0xb7bb194eu
#define MC_LASTRUN_GUID_D2    0x983f
#define MC_LASTRUN_GUID_D3    0x4bfb
#define MC_LASTRUN_GUID_D4    { 0xa4, 0xe5, 0xbf, 0x86, 0x29, 0x92, 0x50, 0x6d }
/* EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS */
#define MC_LASTRUN_ATTRS      0x7u

#define MC_LASTRUN_MAX        4096
#define MC_LASTRUN_HDR        88
#define MC_LASTRUN_MAX_ENTRIES 64

#define MC_LASTRUN_SHOWN      BIT(0)   /* the UEFI stage has shown it */
#define MC_LASTRUN_RESET      BIT(1)   /* the run ended with a platform reset */

struct mc_lastrun {
	u16  flags;
	u32  total;                  /* results of the run */
	u32  count[MC_VERDICTS];
	u32  stored, omitted;
	char version[13];
	char platform[33];
	struct mc_result entry[MC_LASTRUN_MAX_ENTRIES];
};

/* Encode res into buf (at most cap bytes, cap >= MC_LASTRUN_HDR). Returns
 * the size written. */
size_t mc_lastrun_encode(const struct mc_results *res, const char *version, const char *platform, u16 flags,
			 u8 *buf, size_t cap);
/* Decode and validate every length; false with a reason in err. */
bool mc_lastrun_decode(const u8 *buf, size_t len, struct mc_lastrun *out, char *err, size_t errlen);
/* Set or clear flags in an encoded record in place (the stage marks it
 * shown). false if buf is not a record. */
bool mc_lastrun_set_flags(u8 *buf, size_t len, u16 flags);

/* "memcrypt 0.1.0 on model:profile: 40 tests, 1 failures, 3 skipped, 0
 * warnings; ended with a reset" */
int  mc_lastrun_summary(const struct mc_lastrun *lr, char *out, size_t outlen);
/* One JSON object: {"version", "platform", "shown", "ended_with_reset",
 * "results" (count), "summary": {pass, fail, warn, skip, info}, "omitted",
 * "checks": [{id, verdict, stage, detail}]}; length, or -1 (and an empty
 * buffer) if buf is too small. */
int  mc_lastrun_json(const struct mc_lastrun *lr, char *buf, size_t size);

#endif
