/* The host commands' one way to bring up the model from a profile file:
 * read, parse (errors name file:line), size, init, attach. Messages go to
 * stderr prefixed with the command ("memcrypt check: ..."). */
#ifndef MC_HOST_MODEL_LOAD_H
#define MC_HOST_MODEL_LOAD_H
#include "lib/platform.h"
#include "lib/model/profile.h"

struct host_model {
	struct mc_profile profile;   /* as parsed (program writes it back out) */
	void *state;                 /* the model's state blob (free with host_model_free) */
	size_t size;
	struct mc_platform plat;
};

/* 0, or 2 after a message (the status every command uses for bad input). */
int  host_model_load(const char *cmd, const char *path, u64 seed, struct host_model *m);
/* Parse only; 0 or 2 after a message. */
int  host_profile_load(const char *cmd, const char *path, struct mc_profile *prof);
/* Wipes the state (it holds keys) and frees it. */
void host_model_free(struct host_model *m);

#endif
