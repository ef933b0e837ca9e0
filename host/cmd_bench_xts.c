/* memcrypt bench-xts [--backend NAME] [--key-bits 128|256] [--unit BYTES]
 *                    [--seconds S] [--decrypt]
 * En/decrypts one data unit over and over per backend and prints
 *   xts-aes128 <backend> encrypt unit=4096: <MB/s> MB/s <cycles/byte> c/B
 * MB is 10^6 bytes and the time is this thread's CPU time, as `openssl
 * speed` counts (it divides by user CPU time, not wall time): on a shared
 * machine wall time would charge memcrypt for the neighbours' load and
 * OpenSSL not. Cycles are RDTSC ticks scaled to that CPU time, i.e.
 * reference cycles at the TSC's fixed rate, not core clock cycles. */
#include "host/command.h"
#include "lib/crypto/xts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench_one(enum xts_backend be, int key_bits, size_t unit, double seconds, int encrypt)
{
	const char *name = xts_backend_name(be), *dir = encrypt ? "encrypt" : "decrypt";
	if (!xts_backend_supported(be)) {
		printf("xts-aes%d %s %s unit=%zu: UNAVAILABLE (%s)\n", key_bits, name, dir, unit,
		       xts_backend_missing(be));
		return;
	}
	/* 64 tweaks written before the clock starts, one per unit in turn.
	 * Writing tweak[0] before each call (as this did) left a 1-byte store
	 * in front of the unit's 16-byte tweak load: a store-forwarding stall
	 * of ~50 cycles per unit, a fifth of a 512-byte AES-NI unit, that
	 * `openssl speed` (one IV for every call) does not pay. */
	u8 key[64], tweaks[64][16] = { { 0 } }, *tweak = tweaks[0];
	for (int i = 0; i < 64; i++)
		tweaks[i][0] = (u8)i;
	for (int i = 0; i < 64; i++)
		key[i] = (u8)(i * 37 + 11);   /* a fixed, non-secret benchmark key */
	u8 *buf = calloc(1, unit);
	struct xts_ctx ctx;
	int (*crypt)(const struct xts_ctx *, const u8 *, const u8 *, u8 *, size_t) =
		encrypt ? xts_encrypt : xts_decrypt;
	if (!buf || xts_init(&ctx, key, (size_t)key_bits / 4, encrypt ? XTS_ENCRYPT : XTS_DECRYPT, be) != XTS_OK) {
		printf("xts-aes%d %s %s unit=%zu: FAILED to set up\n", key_bits, name, dir, unit);
		free(buf);
		return;
	}
	for (int i = 0; i < 50; i++)   /* warm up caches and clocks */
		crypt(&ctx, tweak, buf, buf, unit);
	unsigned long long iters = 0, c0 = __rdtsc();
	double w0 = clock_s(CLOCK_MONOTONIC), t0 = clock_s(CLOCK_THREAD_CPUTIME_ID), t1;
	do {
		/* about 256 KiB between clock reads: the CPU-time clock is a
		 * system call, which at 16 units per read cost small units 20% */
		for (size_t i = 0; i < 1 + (256u << 10) / unit; i++) {
			crypt(&ctx, tweaks[iters & 63], buf, buf, unit);
			iters++;
		}
		t1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	} while (t1 - t0 < seconds);
	unsigned long long c1 = __rdtsc();
	double w1 = clock_s(CLOCK_MONOTONIC);
	double bytes = (double)iters * (double)unit, cpu = t1 - t0;
	double tsc_hz = (double)(c1 - c0) / (w1 - w0);
	printf("xts-aes%d %s %s unit=%zu: %.1f MB/s %.2f c/B\n", key_bits, name, dir, unit,
	       bytes / cpu / 1e6, cpu * tsc_hz / bytes);
	xts_wipe(&ctx);
	free(buf);
}

static int cmd_bench_xts(int argc, char **argv)
{
	int only = -1, key_bits = 128, encrypt = 1;
	unsigned long unit = 4096;
	double seconds = 1.0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		if (!strcmp(a, "--decrypt")) {
			encrypt = 0;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "memcrypt bench-xts: %s needs a value\n", a);
			return 2;
		}
		const char *v = argv[++i];
		if (!strcmp(a, "--backend")) {
			only = xts_backend_from_name(v);
			if (only < 0) {
				fprintf(stderr, "memcrypt bench-xts: unknown backend '%s' (ct64, aesni, vaes, vaes256, ct256)\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--key-bits")) {
			key_bits = atoi(v);
			if (key_bits != 128 && key_bits != 256) {
				fprintf(stderr, "memcrypt bench-xts: --key-bits must be 128 or 256\n");
				return 2;
			}
		} else if (!strcmp(a, "--unit")) {
			unit = strtoul(v, &end, 0);
			if (*end || unit < 16 || unit > (1UL << 24)) {
				fprintf(stderr, "memcrypt bench-xts: --unit must be 16..16777216 bytes\n");
				return 2;
			}
		} else if (!strcmp(a, "--seconds")) {
			seconds = strtod(v, &end);
			if (*end || seconds <= 0 || seconds > 60) {
				fprintf(stderr, "memcrypt bench-xts: --seconds must be in (0, 60]\n");
				return 2;
			}
		} else {
			fprintf(stderr, "memcrypt bench-xts: unknown argument '%s'\n", a);
			return 2;
		}
	}
	if (only == XTS_BACKEND_AUTO)
		only = xts_backend_best();
	for (int be = XTS_BACKEND_CT64; be < XTS_BACKEND_COUNT; be++)
		if (only < 0 || only == be)
			bench_one((enum xts_backend)be, key_bits, unit, seconds, encrypt);
	return 0;
}

/* Registered by hand: the command's name has a dash. */
static const struct host_command bench_xts_command = {
	"bench-xts", "bench-xts [--backend NAME] [--key-bits 128|256] [--unit BYTES] [--seconds S] [--decrypt]",
	"XTS-AES throughput per backend (MB/s of CPU time, TSC reference cycles/byte)", cmd_bench_xts,
};

__attribute__((constructor)) static void register_bench_xts(void)
{
	host_command_register(&bench_xts_command);
}
