/* Helpers for the model's unit tests (declared in test_model_util.h). */
#include "tests/unit/test_model_util.h"
#include "tests/unit/harness.h"
#include "lib/mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICELAKE_CPUID \
	"cpuid 0 0 0000001b 756e6547 6c65746e 49656e69\n" \
	"cpuid 1 0 000606a6 00000800 7ffefbff bfebfbff\n" \
	"cpuid 7 0 00000000 f3bfbfbf 40417f5e bc040412\n" \
	"cpuid 1b 0 00000001 00000001 00000000 00000000\n" \
	"cpuid 80000000 0 80000008 00000000 00000000 00000000\n" \
	"cpuid 80000008 0 0000302e 00000000 00000000 00000000\n" \
	"msr 981 000003f680000005\n"

const char tm_icelake[] = "cpus 4\npackages 1\n" ICELAKE_CPUID;
const char tm_icelake_2pkg[] = "cpus 4\npackages 2\n" ICELAKE_CPUID;

bool tm_boot(struct tm *m, const char *base, const char *extra, u64 seed)
{
	static struct mc_profile prof;
	char text[8192], err[256];

	memset(m, 0, sizeof(*m));
	snprintf(text, sizeof(text), "%s%s", base, extra ? extra : "");
	if (mc_profile_parse(&prof, text, strlen(text), "test", err, sizeof(err))) {
		EXPECT(false, "setup: the test's profile does not parse (%s): the test's assertions cannot run", err);
		return false;
	}
	m->size = mc_model_state_size(&prof);
	m->state = m->size ? malloc(m->size) : NULL;
	if (!m->state || mc_model_init(m->state, m->size, &prof, seed, err, sizeof(err)) ||
	    mc_model_attach(m->state, m->size, &m->p)) {
		EXPECT(false, "setup: the model refused the test's profile (%s): the test's assertions cannot run", err);
		free(m->state);
		m->state = NULL;
		return false;
	}
	return true;
}

void tm_free(struct tm *m)
{
	free(m->state);
	m->state = NULL;
}

int tm_rd(struct tm *m, int cpu, u32 msr, u64 *v)
{
	*v = 0xdeadbeefdeadbeefULL;
	return m->p.rdmsr(m->p.ctx, cpu, msr, v);
}

int tm_wr(struct tm *m, int cpu, u32 msr, u64 v)
{
	return m->p.wrmsr(m->p.ctx, cpu, msr, v);
}

int tm_pconfig(struct tm *m, const struct tm_pc *pc, u64 *rax, bool *zf)
{
	static u8 area[512] __attribute__((aligned(256)));
	struct mktme_key_program kp;

	memset(&kp, 0, sizeof(kp));
	kp.keyid = pc->keyid;
	kp.keyid_ctrl = pc->ctrl;
	kp.rsvd[0] = pc->rsvd_byte;
	memcpy(kp.key_field_1, pc->key1, 64);
	memcpy(kp.key_field_2, pc->key2, 64);
	memset(area, 0, sizeof(area));
	memcpy(area + pc->misalign, &kp, sizeof(kp));
	*rax = 0xbad;
	*zf = false;
	return m->p.pconfig(m->p.ctx, pc->cpu, pc->leaf, area + pc->misalign, rax, zf);
}

void tm_pc_direct(struct tm_pc *pc, u16 keyid, u8 k1, u8 k2)
{
	memset(pc, 0, sizeof(*pc));
	pc->keyid = keyid;
	pc->ctrl = MKTME_KEYID_CTRL(MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128);
	for (int i = 0; i < 16; i++) {
		pc->key1[i] = (u8)(k1 + i);
		pc->key2[i] = (u8)(k2 + i);
	}
	pc->cpu = 0;
}
