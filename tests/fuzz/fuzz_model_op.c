/* `memcrypt model` operations (host/cmd_model.c): lines of input, each
 * one operation as the command reads them from stdin, parsed and run on a
 * fresh model (a copy of one initialised) of profiles/icelake-sp.prof (256 KiB of DRAM, 4 CPUs), so a
 * parse that lets a bad address, length, alignment or CPU through reaches
 * the model and its memory engine. Output goes to /dev/null. */
#include "tests/fuzz/fuzz.h"
#include "host/cmd_model.h"
#include "lib/model/model.h"
#include "lib/model/profile.h"

#define PROFILE "profiles/icelake-sp.prof"
#define MAX_OPS 32

static struct mc_profile prof;
static void *state, *pristine;   /* the model after init, copied per input (the blob is pointer-free) */
static size_t state_size;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char text[64 << 10];
	char err[200];
	FILE *f = fopen(PROFILE, "r");
	if (!f) {
		fprintf(stderr, "fuzz_model_op: run from the source tree: cannot open %s\n", PROFILE);
		exit(2);
	}
	size_t n = fread(text, 1, sizeof(text) - 32, f);
	fclose(f);
	n += (size_t)snprintf(text + n, 32, "\nmemory 256K\n");
	if (mc_profile_parse(&prof, text, n, PROFILE, err, sizeof(err))) {
		fprintf(stderr, "fuzz_model_op: %s\n", err);
		exit(2);
	}
	state_size = mc_model_state_size(&prof);
	state = aligned_alloc(64, (state_size + 63) & ~(size_t)63);
	pristine = aligned_alloc(64, (state_size + 63) & ~(size_t)63);
	if (!state || !pristine || !freopen("/dev/null", "w", stdout))
		exit(2);
	if (mc_model_init(pristine, state_size, &prof, 1, err, sizeof(err))) {
		fprintf(stderr, "fuzz_model_op: model: %s\n", err);
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_platform plat;
	char *text = fuzz_text(data, size);

	memcpy(state, pristine, state_size);
	if (mc_model_attach(state, state_size, &plat)) {
		fprintf(stderr, "fuzz_model_op: model: cannot attach\n");
		abort();
	}
	/* Lines split here, not with strtok: the parser uses strtok itself. */
	char *line = text, *end = text + size;
	for (int ops = 0; line < end && ops < MAX_OPS; ops++) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = 0;
		const char *why = host_model_op(&plat, line);
		FUZZ_CHECK(!why || *why, "empty message");
		if (!nl)
			break;
		line = nl + 1;
	}
	free(text);
	return 0;
}
