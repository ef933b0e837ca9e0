/* The memory engine's cipher: the only file of the model that calls the
 * crypto library. Units are en/decrypted with XTS-AES (lib/crypto/xts.h)
 * under the unit's tweak (mc_model_tweak); expanded keys are kept in a few
 * slots inside the state blob (plain data), tagged by (package, KeyID,
 * key generation) so a re-programmed key is never used stale.
 *
 * The engine, like the hardware, accepts a data key equal to the tweak key
 * (Intel seed 6.2.1.1.3: "no explicit checks ... to detect or prevent weak
 * keys"), while xts_init refuses such a key for encryption (NIST SP
 * 800-38E). For that case only, the same XTS construction (IEEE 1619 5.3.1)
 * is evaluated here on the library's AES block core. */
#include "lib/model/state.h"
#include "lib/mem.h"
#include "lib/crypto/aes_ct64.h"
#include "lib/crypto/aes_keysched.h"

void st_forget_slots(struct mc_model_state *s)
{
	struct mc_model_slot *sl = st_slots(s);
	for (int i = 0; i < MC_XTS_SLOTS; i++)
		mc_wipe(&sl[i], sizeof(sl[i]));
}

void st_forget_key(struct mc_model_state *s, u32 pkg, u32 keyid)
{
	struct mc_model_slot *sl = st_slots(s);
	for (int i = 0; i < MC_XTS_SLOTS; i++)
		if (sl[i].valid && sl[i].pkg == pkg && sl[i].keyid == keyid)
			mc_wipe(&sl[i], sizeof(sl[i]));
}

static struct mc_model_slot *slot_for(struct mc_model_state *s, const struct mc_line_key *k)
{
	struct mc_model_slot *sl = st_slots(s), *victim = &sl[0];

	for (int i = 0; i < MC_XTS_SLOTS; i++) {
		if (sl[i].valid && sl[i].pkg == k->pkg && sl[i].keyid == k->keyid && sl[i].gen == k->gen) {
			sl[i].age = ++s->clock;
			return &sl[i];
		}
		if (!sl[i].valid || sl[i].age < victim->age)
			victim = &sl[i];
	}
	mc_wipe(victim, sizeof(*victim));
	if (xts_init(&victim->ctx, k->key, k->keylen, XTS_ENCRYPT | XTS_DECRYPT, XTS_BACKEND_CT64) != XTS_OK)
		return NULL;
	victim->valid = 1;
	victim->pkg = k->pkg;
	victim->keyid = k->keyid;
	victim->gen = k->gen;
	victim->age = ++s->clock;
	return victim;
}

/* Multiply by alpha in GF(2^128), IEEE 1619 5.2 (little-endian bytes). */
static void gf_double(u8 t[16])
{
	u8 carry = 0;
	for (int i = 0; i < 16; i++) {
		u8 next = t[i] >> 7;
		t[i] = (u8)((t[i] << 1) | carry);
		carry = next;
	}
	if (carry)
		t[0] ^= 0x87;
}

static void aes_one(const u8 *key, u32 half, const u8 in[16], u8 out[16], bool decrypt)
{
	u8 rk[16 * 15], blocks[64];
	struct aes_ct64_key ck;
	u64 q[8];
	int rounds = aes_expand_key(rk, key, half);

	aes_ct64_set_key(&ck, rk, rounds);
	mc_memset(blocks, 0, sizeof(blocks));
	mc_memcpy(blocks, in, 16);
	aes_ct64_pack(q, blocks);
	if (decrypt)
		aes_ct64_decrypt(&ck, rounds, q);
	else
		aes_ct64_encrypt(&ck, rounds, q);
	aes_ct64_unpack(blocks, q);
	mc_memcpy(out, blocks, 16);
	mc_wipe(rk, sizeof(rk));
	mc_wipe(&ck, sizeof(ck));
	mc_wipe(q, sizeof(q));
	mc_wipe(blocks, sizeof(blocks));
}

/* XTS of one whole-block unit when K1 == K2 (see the file comment). */
static void weak_key_unit(const struct mc_line_key *k, const u8 tweak[16], const u8 *in, u8 *out,
			  u32 unit, bool decrypt)
{
	u32 half = k->keylen / 2;
	u8 t[16], x[16];

	aes_one(k->key + half, half, tweak, t, false);
	for (u32 j = 0; j < unit / 16; j++) {
		for (int i = 0; i < 16; i++)
			x[i] = in[16 * j + i] ^ t[i];
		aes_one(k->key, half, x, x, decrypt);
		for (int i = 0; i < 16; i++)
			out[16 * j + i] = x[i] ^ t[i];
		gf_double(t);
	}
	mc_wipe(t, sizeof(t));
	mc_wipe(x, sizeof(x));
}

void st_crypt_line(struct mc_model_state *s, const struct mc_line_key *k, u64 dpa, u32 unit,
		   const u8 *in, u8 *out, size_t len, int dir)
{
	struct mc_model_slot *sl = k->plain ? NULL : slot_for(s, k);
	u8 tweak[16];

	for (size_t off = 0; off < len; off += unit) {
		if (k->plain) {
			mc_memmove(out + off, in + off, unit);
			continue;
		}
		mc_model_tweak(dpa + off, tweak);
		if (sl && dir == XTS_ENCRYPT)
			xts_encrypt(&sl->ctx, tweak, in + off, out + off, unit);
		else if (sl)
			xts_decrypt(&sl->ctx, tweak, in + off, out + off, unit);
		else
			weak_key_unit(k, tweak, in + off, out + off, unit, dir != XTS_ENCRYPT);
	}
}
