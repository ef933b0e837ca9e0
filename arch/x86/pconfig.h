/* Pure helpers for PCONFIG's MKTME_KEY_PROGRAM leaf (Intel seed 6.2): the
 * program struct (Table 6-4), names for commands, algorithms and statuses
 * (Tables 6-5, 6-6), and which KeyIDs a test programs when a platform has
 * more than it can try one by one. No instruction runs here: the kernel
 * suites issue PCONFIG through the platform interface, the host tests check
 * this file. */
#ifndef MC_ARCH_X86_PCONFIG_H
#define MC_ARCH_X86_PCONFIG_H
#include "lib/types.h"
#include "arch/x86/msr-index.h"

/* Bytes of one key half for a CRYPTO_ALG value: 16 for AES-XTS-128, 32 for
 * AES-XTS-256 (Intel seed 6.2.1.1.3/4: the rest of each 64-byte key field is
 * reserved), 0 for anything else (no bit, two bits, unknown bit). */
size_t mktme_key_half(u32 alg);

/* Fill s (all 256 bytes) for one command: KEYID, KEYID_CTRL = cmd | alg<<8,
 * RSVD zero, and for DIRECT/RANDOM the first mktme_key_half(alg) bytes of
 * each key field from k1/k2 (NULL = zeros); everything else zero, so a
 * struct built here never trips a reserved-field #GP by accident. */
void mktme_prog_build(struct mktme_key_program *s, u16 keyid, u32 cmd, u32 alg,
		      const u8 *k1, const u8 *k2);

const char *mktme_cmd_name(u32 cmd);        /* "KEYID_SET_KEY_DIRECT" ... or "command N?" */
const char *mktme_alg_name(u32 alg);        /* "AES-XTS-128" "AES-XTS-256" or "alg?" */
const char *mktme_status_name(u64 status);  /* "PROG_SUCCESS" ... "DEVICE_BUSY", "status?" */

/* The activated MKTME algorithms (IA32_TME_ACTIVATE bits 63:48, Table 4-2)
 * as CRYPTO_ALG single-bit values, lowest first; returns how many (<= 16). */
u32 mktme_algs_list(u16 crypto_algs, u32 out[16]);

/* KeyIDs 1..nkeyids to program. All of them when nkeyids <= limit; else a
 * sample of exactly `limit` (>= 8) ascending, distinct KeyIDs: the first
 * limit/4, the last limit/4 (where off-by-one and top-bit errors show) and
 * the rest spread evenly between. Returns the count written to out. */
u32 mktme_keyid_sample(u32 nkeyids, u32 limit, u32 *out);
/* What mktme_keyid_sample(nkeyids, limit) picks, for the result line, so
 * every line that samples says so and how: "all 63 KeyIDs (1..63)", or
 * "64 of 32767 KeyIDs (sampled: 1..16, 32752..32767, 32 spread between)"
 * (short: the result line holds 200 characters). Returns buf. */
const char *mktme_keyid_sample_text(u32 nkeyids, u32 limit, char *buf, size_t len);

#endif
