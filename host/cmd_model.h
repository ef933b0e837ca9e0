/* `memcrypt model`'s operation parser, for the fuzz target
 * (tests/fuzz/fuzz_model_op.c): one operation text as the command takes
 * it (an argument, or a line of stdin). */
#ifndef MC_HOST_CMD_MODEL_H
#define MC_HOST_CMD_MODEL_H
#include "lib/platform.h"

/* Parse text; if it parses and plat is not NULL, run it on plat (its one
 * line of output on stdout). Returns NULL, or what is wrong with the
 * operation (as the command prints it), including a cpu= the platform
 * does not have. */
const char *host_model_op(struct mc_platform *plat, const char *text);

#endif
