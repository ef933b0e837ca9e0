/* The model on several CPUs at once (issue 11): who executed each PCONFIG
 * and WBINVD, per package; KEY_TABLE_LOCK a real lock, DEVICE_BUSY while
 * it is held (Intel seed 6.2.4); real threads programming one KeyID at
 * once leave exactly one caller's whole key. */
#include <pthread.h>
#include <string.h>
/* <pthread.h> brings <time.h>'s struct tm; the model-test helper's struct
 * of the same name is spelled struct tmodel here (same layout). */
#define tm tmodel
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include "lib/model/state.h"
#include "arch/x86/pconfig.h"

static bool boot2(struct tm *m)
{
	if (!tm_boot(m, tm_icelake_2pkg, NULL, 7))
		return false;
	for (int c = 0; c < 4; c++)
		if (tm_wr(m, c, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME) && c == 0)
			return false;
	return true;
}

TEST(model_smp, executor_recorded_per_package)
{
	struct tm m;
	struct tm_pc p;
	struct mc_model_pkg_log l0, l1;
	u64 rax = 1;
	bool zf = true;
	u32 cpu = 99, gen0 = 99, gen = 0;

	if (!boot2(&m))
		return;
	tm_pc_direct(&p, 3, 1, 2);
	p.cpu = 2;                                  /* package 1 */
	EXPECT(!tm_pconfig(&m, &p, &rax, &zf) && rax == MKTME_PROG_SUCCESS && !zf, "PCONFIG on CPU 2: PROG_SUCCESS");
	EXPECT(!mc_model_key_by(m.state, 1, 3, &cpu, &gen) && cpu == 2 && gen, "package 1's entry for KeyID 3 says CPU 2 wrote it (%u)", cpu);
	EXPECT(!mc_model_key_by(m.state, 0, 3, &cpu, &gen0) && gen0 == 0, "package 0's entry is untouched: PCONFIG is package scoped (6.2.1)");
	EXPECT(!mc_model_pkg_log(m.state, 0, &l0) && !mc_model_pkg_log(m.state, 1, &l1) && l0.pconfig_count == 0 &&
	       l1.pconfig_count == 1 && l1.pconfig_last_cpu == 2, "the package log counts it on package 1 only, last CPU 2");
	mc_model_wbinvd_on(m.state, 1);
	mc_model_wbinvd_on(m.state, 3);
	mc_model_pkg_log(m.state, 0, &l0);
	mc_model_pkg_log(m.state, 1, &l1);
	EXPECT(l0.wbinvd_count == 1 && l0.wbinvd_last_cpu == 1 && l1.wbinvd_count == 1 && l1.wbinvd_last_cpu == 3,
	       "WBINVD by CPU 1 counts on package 0, by CPU 3 on package 1");
	EXPECT(mc_model_key_by(m.state, 2, 3, &cpu, &gen) < 0, "no package 2: refused");
	tm_free(&m);
}

TEST(model_smp, key_table_lock_held_means_device_busy)
{
	struct tm m;
	struct tm_pc p;
	u64 rax = 0;
	bool zf = false;
	u32 cpu, gen;

	if (!boot2(&m))
		return;
	struct mc_model_state *s = m.state;
	st_pkg(s, 0)->key_table_lock = 1 + 1;       /* CPU 1 holds package 0's lock */
	tm_pc_direct(&p, 4, 1, 2);
	EXPECT(!tm_pconfig(&m, &p, &rax, &zf) && rax == MKTME_DEVICE_BUSY && zf,
	       "6.2.4: the lock held by another CPU -> DEVICE_BUSY, ZF=1");
	EXPECT(!mc_model_key_by(s, 0, 4, &cpu, &gen) && gen == 0, "6.2.4: the key table is not updated at all");
	p.cpu = 2;
	EXPECT(!tm_pconfig(&m, &p, &rax, &zf) && rax == MKTME_PROG_SUCCESS, "package 1's lock is its own: PROG_SUCCESS there");
	st_pkg(s, 0)->key_table_lock = 0;
	p.cpu = 0;
	EXPECT(!tm_pconfig(&m, &p, &rax, &zf) && rax == MKTME_PROG_SUCCESS && st_pkg(s, 0)->key_table_lock == 0,
	       "released: PROG_SUCCESS, and PCONFIG releases the lock it took");
	struct mc_model_pkg_log l;
	mc_model_pkg_log(s, 0, &l);
	EXPECT(l.busy_count == 1, "one DEVICE_BUSY counted on package 0 (%u)", l.busy_count);
	tm_free(&m);
}

/* Real threads, one per model CPU of package 0 (CPUs 0 and 1), each with
 * its own key. */
struct racer {
	struct tm *m;
	int cpu;
	u8 key[16];
	u32 ok, busy, other;
	u8 area[512] __attribute__((aligned(256)));
};

static void *race(void *arg)
{
	struct racer *r = arg;
	for (int call = 0; call < 400; call++) {
		for (int tries = 0; tries < 100000; tries++) {
			struct mktme_key_program *kp = (void *)r->area;
			u64 rax = 0;
			bool zf = false;
			mktme_prog_build(kp, 5, MKTME_KEYID_SET_KEY_DIRECT, MKTME_AES_XTS_128, r->key, r->key);
			kp->key_field_2[0] ^= 0xff;          /* K1 != K2 */
			if (r->m->p.pconfig(r->m->p.ctx, r->cpu, PCONFIG_LEAF_MKTME_KEY_PROGRAM, kp, &rax, &zf)) {
				r->other++;
				break;
			}
			if (rax == MKTME_PROG_SUCCESS) {
				r->ok++;
				break;
			}
			if (rax != MKTME_DEVICE_BUSY) {
				r->other++;
				break;
			}
			r->busy++;
		}
	}
	return NULL;
}

TEST(model_smp, racing_threads_leave_one_whole_key)
{
	static struct tm m;
	static struct racer r[2];
	pthread_t t[2];

	if (!boot2(&m))
		return;
	for (int i = 0; i < 2; i++) {
		r[i].m = &m;
		r[i].cpu = i;
		memset(r[i].key, 0x10 * (i + 1), sizeof(r[i].key));
		pthread_create(&t[i], NULL, race, &r[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	struct mc_model_key *e = st_key(m.state, 0, 5);
	int whole = 0;
	for (int i = 0; i < 2; i++) {
		u8 tweak[16];
		memcpy(tweak, r[i].key, 16);
		tweak[0] ^= 0xff;
		whole += !memcmp(e->key, r[i].key, 16) && !memcmp(e->key + 16, tweak, 16);
	}
	EXPECT(r[0].ok == 400 && r[1].ok == 400 && !r[0].other && !r[1].other,
	       "6.2.4: every call ended in PROG_SUCCESS after DEVICE_BUSY retries, nothing else (%u+%u ok, %u+%u busy)",
	       r[0].ok, r[1].ok, r[0].busy, r[1].busy);
	EXPECT(whole == 1 && e->by_cpu < 2, "the entry is exactly one caller's whole key (data and tweak halves), written by CPU %u", e->by_cpu);
	tm_free(&m);
}
