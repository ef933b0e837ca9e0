/* aes_ct64_encrypt_words / aes_ct64_decrypt_words, the one-call pass that
 * the ct64 XTS backend runs per four blocks, against the three calls it
 * replaces (pack_words, Cipher or InvCipher, unpack_words) in every build
 * this CPU can run: the baseline, BMI2 with shift packing, BMI2 with PDEP
 * packing (which folds the closing ShiftRows frame into its byte masks, so
 * rounds 9..14 cover all four frames); FIPS-197 Appendix C through the
 * words call; and the CPUF_PDEP_FAST rule on real CPUs' CPUID values. The
 * PDEP build runs wherever BMI2 does (it is only slow where PDEP is
 * microcoded), so its masks are checked on those CPUs too. Whether a key
 * packs by PDEP is not visible in its output (both packings agree), so a
 * words call that ignored k->pdep would pass here and show only in
 * scripts/bench-xts-evp. */
#include "tests/unit/harness.h"
#include "lib/crypto/aes_ct64.h"
#include "lib/crypto/aes_keysched.h"
#include "lib/crypto/cpu_features.h"
#include "arch/x86/msr-index.h"
#include "lib/crypto/le64.h"
#include "lib/mem.h"
#include "tests/unit/test_rng.h"

static u64 rng_state = 0x13198A2E03707344ULL;

enum build { BASELINE, BMI2_SHIFTS, BMI2_PDEP, BUILDS };
static const char *const build_name[BUILDS] = { "baseline", "BMI2", "BMI2+PDEP" };

static bool build_runs_here(enum build b)
{
	u32 f = cpu_features_detect();
	return b == BASELINE || (f & CPUF_BMI2);
}

static void use_build(struct aes_ct64_key *k, enum build b)
{
	k->bmi2 = b != BASELINE;
	k->pdep = b == BMI2_PDEP;
}

/* The three separate calls, in the baseline build: the reference. */
static void reference(const struct aes_ct64_key *key, int rounds, int encrypt, u64 w[8])
{
	struct aes_ct64_key k = *key;
	u64 q[8];
	use_build(&k, BASELINE);
	aes_ct64_pack_words(q, w);
	if (encrypt)
		aes_ct64_encrypt(&k, rounds, q);
	else
		aes_ct64_decrypt(&k, rounds, q);
	aes_ct64_unpack_words(w, q);
}

TEST(aes_ct64, words_call_matches_pack_cipher_unpack_in_every_build)
{
	u8 rk[16 * 15];
	for (size_t j = 0; j < sizeof(rk); j++)
		rk[j] = (u8)test_xorshift64(&rng_state);
	for (int b = BASELINE; b < BUILDS; b++) {
		if (!build_runs_here(b)) {
			SKIP("aes_ct64: the %s build cannot run on this CPU", build_name[b]);
			continue;
		}
		int bad = 0, back = 0;
		for (int rounds = 9; rounds <= 14; rounds++) {
			struct aes_ct64_key k;
			aes_ct64_set_key(&k, rk, rounds);
			use_build(&k, b);
			for (int t = 0; t < 16; t++) {
				u64 w[8], want[8], orig[8];
				for (int i = 0; i < 8; i++)
					orig[i] = w[i] = want[i] = test_xorshift64(&rng_state);
				int encrypt = t & 1;
				reference(&k, rounds, encrypt, want);
				if (encrypt)
					aes_ct64_encrypt_words(&k, rounds, w);
				else
					aes_ct64_decrypt_words(&k, rounds, w);
				bad += mc_memcmp(w, want, sizeof(w)) != 0;
				if (encrypt)
					aes_ct64_decrypt_words(&k, rounds, w);
				else
					aes_ct64_encrypt_words(&k, rounds, w);
				back += mc_memcmp(w, orig, sizeof(w)) != 0;
			}
		}
		EXPECT(bad == 0, "%s build: the words call equals pack, Cipher/InvCipher, unpack on 96 random inputs, rounds 9..14 (every closing frame; %d differ)",
		       build_name[b], bad);
		EXPECT(back == 0, "%s build: decrypt_words undoes encrypt_words and the reverse (%d differ)", build_name[b],
		       back);
	}
}

/* FIPS-197 C.1 / C.3 (plaintext 00112233..ff, key 000102..) through the
 * words call, the block in each of the four slots in turn. */
TEST(aes_ct64, words_call_gives_fips197_appendix_c)
{
	static const u8 want[2][16] = {
		{ 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a },
		{ 0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf, 0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89 },
	};
	u8 key[32], pt[16], rk[16 * 15];
	for (int i = 0; i < 32; i++)
		key[i] = (u8)i;
	for (int i = 0; i < 16; i++)
		pt[i] = (u8)(0x11 * i);
	for (int b = BASELINE; b < BUILDS; b++) {
		if (!build_runs_here(b)) {
			SKIP("aes_ct64: the %s build cannot run on this CPU", build_name[b]);
			continue;
		}
		for (int v = 0; v < 2; v++) {
			int rounds = aes_expand_key(rk, key, v ? 32 : 16), bad_enc = 0, bad_dec = 0;
			struct aes_ct64_key k;
			aes_ct64_set_key(&k, rk, rounds);
			use_build(&k, b);
			for (int slot = 0; slot < 4; slot++) {
				u64 w[8], orig[8];
				for (int i = 0; i < 8; i++)
					orig[i] = w[i] = test_xorshift64(&rng_state);
				w[2 * slot] = orig[2 * slot] = load_le64(pt);
				w[2 * slot + 1] = orig[2 * slot + 1] = load_le64(pt + 8);
				aes_ct64_encrypt_words(&k, rounds, w);
				bad_enc += w[2 * slot] != load_le64(want[v]) || w[2 * slot + 1] != load_le64(want[v] + 8);
				aes_ct64_decrypt_words(&k, rounds, w);
				bad_dec += mc_memcmp(w, orig, sizeof(w)) != 0;
			}
			EXPECT(bad_enc == 0 && bad_dec == 0,
			       "%s build: FIPS-197 C.%d, AES-%d of 00112233..ff is %s in each slot and decrypts back (%d, %d slots wrong)",
			       build_name[b], v ? 3 : 1, v ? 256 : 128, v ? "8ea2b7ca..6089" : "69c4e0d8..c55a", bad_enc,
			       bad_dec);
		}
	}
}

TEST(aes_ct64, set_key_packs_by_pdep_exactly_where_it_is_fast)
{
	u8 rk[16 * 11] = { 0 };
	struct aes_ct64_key k;
	aes_ct64_set_key(&k, rk, 10);
	u32 f = cpu_features_detect();
	bool fast = (f & CPUF_BMI2) && (f & CPUF_PDEP_FAST);
	EXPECT(k.pdep == (fast ? 1u : 0u) && (!k.pdep || k.bmi2),
	       "aes_ct64_set_key: pdep %u, bmi2 %u (CPUF_BMI2 %s, CPUF_PDEP_FAST %s)", k.pdep, k.bmi2,
	       (f & CPUF_BMI2) ? "set" : "clear", (f & CPUF_PDEP_FAST) ? "set" : "clear");
}

/* Leaf 0 vendor registers (EBX, EDX, ECX) and leaf 1 EAX of real parts. */
#define INTEL CPUID_VENDOR_INTEL_EBX, CPUID_VENDOR_INTEL_EDX, CPUID_VENDOR_INTEL_ECX
#define AMD   CPUID_VENDOR_AMD_EBX, CPUID_VENDOR_AMD_EDX, CPUID_VENDOR_AMD_ECX
#define HYGON 0x6f677948, 0x6e65476e, 0x656e6975   /* HygonGenuine */
#define ZHAOXIN 0x68532020, 0x68676e61, 0x20206961 /* "  Shanghai  " */

TEST(cpu_features, pdep_fast_rule_on_real_cpus)
{
	static const struct {
		const char *cpu;
		u32 ebx, edx, ecx, eax;
		bool fast;
	} cpus[] = {
		{ "Intel Haswell (family 6 model 3Ch)", INTEL, 0x000306C3, true },
		{ "Intel Sapphire Rapids (family 6 model 8Fh)", INTEL, 0x000806F8, true },
		{ "Intel family 6 model A7h (this project's Xeon VM)", INTEL, 0x000A0678, true },
		{ "AMD Excavator (family 15h)", AMD, 0x00660F01, false },
		{ "AMD EPYC 7601 Naples, Zen (family 17h)", AMD, 0x00800F12, false },
		{ "AMD EPYC 7742 Rome, Zen 2 (family 17h)", AMD, 0x00830F10, false },
		{ "AMD EPYC 7763 Milan, Zen 3 (family 19h)", AMD, 0x00A00F11, true },
		{ "AMD EPYC 9654 Genoa, Zen 4 (family 19h)", AMD, 0x00A10F11, true },
		{ "AMD EPYC 9005 Turin, Zen 5 (family 1Ah)", AMD, 0x00B00F21, true },
		{ "Hygon Dhyana (family 18h)", HYGON, 0x00900F01, false },
		{ "AMD's vendor string with family 18h (none shipped: pins the rule at 19h)", AMD, 0x00900F00, false },
		{ "Zhaoxin KX-6000", ZHAOXIN, 0x000006FB, false },
	};
	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		bool got = cpu_pdep_is_fast(cpus[i].ebx, cpus[i].edx, cpus[i].ecx, cpus[i].eax);
		EXPECT(got == cpus[i].fast, "%s, CPUID.1.EAX %08x: PDEP/PEXT %s", cpus[i].cpu, cpus[i].eax,
		       cpus[i].fast ? "fast (one uop)" : "slow (microcode) or not known fast");
	}
}
