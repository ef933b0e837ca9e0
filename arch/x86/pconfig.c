#include "arch/x86/pconfig.h"
#include "lib/mem.h"
#include "lib/fmt.h"

size_t mktme_key_half(u32 alg)
{
	if (alg == MKTME_AES_XTS_128)
		return 16;
	if (alg == MKTME_AES_XTS_256)
		return 32;
	return 0;
}

void mktme_prog_build(struct mktme_key_program *s, u16 keyid, u32 cmd, u32 alg,
		      const u8 *k1, const u8 *k2)
{
	size_t half = mktme_key_half(alg);

	mc_memset(s, 0, sizeof(*s));
	s->keyid = keyid;
	s->keyid_ctrl = MKTME_KEYID_CTRL(cmd & 0xff, alg & 0xffff);
	if (cmd != MKTME_KEYID_SET_KEY_DIRECT && cmd != MKTME_KEYID_SET_KEY_RANDOM)
		return;
	if (k1)
		mc_memcpy(s->key_field_1, k1, half);
	if (k2)
		mc_memcpy(s->key_field_2, k2, half);
}

const char *mktme_cmd_name(u32 cmd)
{
	switch (cmd) {
	case MKTME_KEYID_SET_KEY_DIRECT: return "KEYID_SET_KEY_DIRECT";
	case MKTME_KEYID_SET_KEY_RANDOM: return "KEYID_SET_KEY_RANDOM";
	case MKTME_KEYID_CLEAR_KEY:      return "KEYID_CLEAR_KEY";
	case MKTME_KEYID_NO_ENCRYPT:     return "KEYID_NO_ENCRYPT";
	}
	return "command?";
}

const char *mktme_alg_name(u32 alg)
{
	if (alg == MKTME_AES_XTS_128)
		return "AES-XTS-128";
	if (alg == MKTME_AES_XTS_256)
		return "AES-XTS-256";
	return "alg?";
}

const char *mktme_status_name(u64 status)
{
	static const char *const names[] = {
		"PROG_SUCCESS", "INVALID_PROG_CMD", "ENTROPY_ERROR",
		"INVALID_KEYID", "INVALID_CRYPTO_ALG", "DEVICE_BUSY",
	};
	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "status?";
}

u32 mktme_algs_list(u16 crypto_algs, u32 out[16])
{
	u32 n = 0;
	for (u32 bit = 0; bit < 16; bit++)
		if (crypto_algs & (1u << bit))
			out[n++] = 1u << bit;
	return n;
}

/* The sample's shape above limit KeyIDs: at least 8 ids, a quarter of
 * them at each end, the rest spread between. One rule for the ids and for
 * the line that names them. */
static void sample_shape(u32 *limit, u32 *edge, u32 *mid)
{
	if (*limit < 8)
		*limit = 8;
	*edge = *limit / 4;
	*mid = *limit - 2 * *edge;
}

u32 mktme_keyid_sample(u32 nkeyids, u32 limit, u32 *out)
{
	u32 n = 0, edge, mid;

	if (nkeyids <= limit) {
		for (u32 id = 1; id <= nkeyids; id++)
			out[n++] = id;
		return n;
	}
	sample_shape(&limit, &edge, &mid);
	for (u32 id = 1; id <= edge; id++)
		out[n++] = id;
	/* mid KeyIDs strictly between edge and nkeyids-edge+1, evenly spaced:
	 * the gap holds nkeyids-2*edge ids, more than mid since nkeyids > limit. */
	u64 gap = nkeyids - 2 * edge;
	for (u32 i = 0; i < mid; i++)
		out[n++] = edge + 1 + (u32)(((u64)i * gap) / mid);
	for (u32 id = nkeyids - edge + 1; id <= nkeyids; id++)
		out[n++] = id;
	return n;
}

const char *mktme_keyid_sample_text(u32 nkeyids, u32 limit, char *buf, size_t len)
{
	if (nkeyids <= limit) {
		mc_snprintf(buf, len, "all %u KeyIDs (1..%u)", nkeyids, nkeyids);
		return buf;
	}
	u32 edge, mid;
	sample_shape(&limit, &edge, &mid);
	mc_snprintf(buf, len, "%u of %u KeyIDs (sampled: 1..%u, %u..%u, %u spread between)",
		    limit, nkeyids, edge, nkeyids - edge + 1, nkeyids, mid);
	return buf;
}
