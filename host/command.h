/* Sub-commands of build/host/memcrypt register themselves:
 *   HOST_COMMAND(xts, "xts --encrypt|--decrypt --key HEX ...", "one line of help", cmd_xts)
 * so adding a command is adding a file. Exit statuses across the command:
 * 0 success, 1 a FAIL / failed operation, 2 bad input or cannot read. */
#ifndef MC_HOST_COMMAND_H
#define MC_HOST_COMMAND_H
#include <stddef.h>

struct host_command {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(int argc, char **argv);   /* argv[0] is the command name */
};

void host_command_register(const struct host_command *cmd);

#define HOST_COMMAND(id, usage_, help_, fn)                                    \
	static const struct host_command host_cmd_##id = { #id, usage_, help_, fn }; \
	__attribute__((constructor)) static void host_cmd_reg_##id(void)       \
	{ host_command_register(&host_cmd_##id); }

/* Read a whole file (or stdin for "-") into a NUL-terminated malloc'd
 * buffer; NULL with errno set on failure. */
char *host_read_file(const char *path, size_t *len);

/* Every result as a report line ("PASS: tme: locked: ..."), then the
 * SUMMARY line, on stdout: the text output of check and program. */
struct mc_results;
void host_print_results(const struct mc_results *res);

#endif
