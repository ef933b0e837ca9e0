#include "host/model_load.h"
#include "host/command.h"
#include "lib/model/model.h"
#include "lib/mem.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int host_profile_load(const char *cmd, const char *path, struct mc_profile *prof)
{
	char err[256];
	size_t len;
	char *text = host_read_file(path, &len);
	if (!text) {
		fprintf(stderr, "memcrypt %s: %s: %s\n", cmd, path, strerror(errno));
		return 2;
	}
	int rc = mc_profile_parse(prof, text, len, path, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "memcrypt %s: %s\n", cmd, err);
		return 2;
	}
	return 0;
}

int host_model_load(const char *cmd, const char *path, u64 seed, struct host_model *m)
{
	char err[256] = "profile unusable by the model";
	int rc = host_profile_load(cmd, path, &m->profile);
	if (rc)
		return rc;
	m->size = mc_model_state_size(&m->profile);
	if (!m->size) {
		/* The layout is refused (e.g. DRAM over the KeyID bits): init says why. */
		mc_model_init(NULL, 0, &m->profile, seed, err, sizeof(err));
		fprintf(stderr, "memcrypt %s: %s: %s\n", cmd, path, err);
		return 2;
	}
	/* 64-byte aligned: the state holds expanded AES keys. */
	m->state = m->size ? aligned_alloc(64, (m->size + 63) & ~(size_t)63) : NULL;
	if (!m->state) {
		fprintf(stderr, "memcrypt %s: %s: cannot allocate %zu bytes for the model\n", cmd, path, m->size);
		return 2;
	}
	if (mc_model_init(m->state, m->size, &m->profile, seed, err, sizeof(err)) ||
	    mc_model_attach(m->state, m->size, &m->plat)) {
		fprintf(stderr, "memcrypt %s: %s: %s\n", cmd, path, err);
		host_model_free(m);
		return 2;
	}
	return 0;
}

/* The state holds the model's platform and KeyID keys: wiped, not just
 * freed. */
void host_model_free(struct host_model *m)
{
	if (m->state)
		mc_wipe(m->state, m->size);
	free(m->state);
	m->state = NULL;
}
