/* memcrypt xts --encrypt|--decrypt --key HEX (--tweak HEX32 | --seq N)
 *              [--backend NAME] < in > out
 * One data unit from stdin to stdout. Bad input: message on stderr, status
 * 2. Key bytes are never printed, not even in error messages. */
#include "host/command.h"
#include "lib/crypto/xts.h"
#include "lib/mem.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "memcrypt xts: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int cmd_xts(int argc, char **argv)
{
	int dir = 0, be = XTS_BACKEND_AUTO, rc;
	const char *key_hex = NULL, *tweak_hex = NULL, *seq_str = NULL;
	u8 key[64], tweak[16];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		if (!strcmp(a, "--encrypt"))
			dir = XTS_ENCRYPT;
		else if (!strcmp(a, "--decrypt"))
			dir = XTS_DECRYPT;
		else if (!strcmp(a, "--key") && has_val)
			key_hex = argv[++i];
		else if (!strcmp(a, "--tweak") && has_val)
			tweak_hex = argv[++i];
		else if (!strcmp(a, "--seq") && has_val)
			seq_str = argv[++i];
		else if (!strcmp(a, "--backend") && has_val) {
			be = xts_backend_from_name(argv[++i]);
			if (be < 0)
				return bad("unknown backend (ct64, aesni, vaes, vaes256, ct256, auto)", argv[i]);
			if (!xts_backend_supported(be))
				return bad("backend not available on this CPU", argv[i]);
		} else
			return bad("unknown or incomplete argument (usage: memcrypt xts --encrypt|--decrypt "
				   "--key HEX --tweak HEX32 | --seq N [--backend NAME])", a);
	}
	if (!dir)
		return bad("say --encrypt or --decrypt", NULL);
	if (!key_hex)
		return bad("--key HEX is required", NULL);
	if (!!tweak_hex == !!seq_str)
		return bad("give exactly one of --tweak HEX32 and --seq N", NULL);

	int klen = mc_hex_decode(key_hex, strlen(key_hex), key, sizeof(key));
	if (klen < 0)
		return bad("--key: not an even number of hex digits, or longer than 64 bytes", NULL);
	if (klen != 32 && klen != 64) {
		mc_wipe(key, sizeof(key));
		fprintf(stderr, "memcrypt xts: --key: %d bytes; XTS-AES needs 32 (AES-128) or 64 (AES-256)\n", klen);
		return 2;
	}
	if (tweak_hex) {
		if (mc_hex_decode(tweak_hex, strlen(tweak_hex), tweak, sizeof(tweak)) != 16) {
			mc_wipe(key, sizeof(key));
			return bad("--tweak: want exactly 32 hex digits", tweak_hex);
		}
	} else {
		u64 seq;
		if (!mc_parse_u64(seq_str, strlen(seq_str), 0, &seq)) {
			mc_wipe(key, sizeof(key));
			return bad("--seq: not a number (decimal or 0x hex, 64-bit)", seq_str);
		}
		xts_tweak_from_seq(seq, tweak);
	}

	struct xts_ctx ctx;
	rc = xts_init(&ctx, key, (size_t)klen, dir, (enum xts_backend)be);
	mc_wipe(key, sizeof(key));
	if (rc != XTS_OK) {
		xts_wipe(&ctx);
		return bad(xts_strerror(rc), NULL);
	}
	size_t len;
	char *data = host_read_file("-", &len);
	if (!data) {
		xts_wipe(&ctx);
		return bad("cannot read stdin", strerror(errno));
	}
	u8 *out = malloc(len ? len : 1);
	if (!out) {
		free(data);
		xts_wipe(&ctx);
		return bad("out of memory", NULL);
	}
	rc = dir == XTS_ENCRYPT ? xts_encrypt(&ctx, tweak, (const u8 *)data, out, len)
				: xts_decrypt(&ctx, tweak, (const u8 *)data, out, len);
	xts_wipe(&ctx);
	mc_wipe(data, len);
	free(data);
	if (rc != XTS_OK) {
		free(out);
		if (rc == XTS_ERR_LENGTH) {
			fprintf(stderr, "memcrypt xts: input is %zu bytes; a data unit needs at least 16\n", len);
			return 2;
		}
		return bad(xts_strerror(rc), NULL);
	}
	size_t w = fwrite(out, 1, len, stdout);
	mc_wipe(out, len);
	free(out);
	if (w != len || fflush(stdout))
		return bad("cannot write stdout", strerror(errno));
	return 0;
}

HOST_COMMAND(xts, "xts --encrypt|--decrypt --key HEX --tweak HEX32|--seq N [--backend NAME]",
	     "XTS-AES one data unit, stdin to stdout", cmd_xts)
