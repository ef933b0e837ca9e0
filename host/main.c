/* build/host/memcrypt: the Linux front-end. Sub-commands live one per file
 * (host/cmd_*.c) and register themselves through HOST_COMMAND. */
#include "host/command.h"
#include <stdio.h>
#include <string.h>

extern const struct host_command *host_commands[];
extern int host_ncommands;

static void usage(FILE *out)
{
	fprintf(out, "usage: memcrypt COMMAND [ARGS...]\n"
		     "       memcrypt --help | --version\n\ncommands:\n");
	for (int i = 0; i < host_ncommands; i++)
		fprintf(out, "  %-64s %s\n", host_commands[i]->usage, host_commands[i]->help);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("memcrypt %s\n", MC_VERSION);
		return 0;
	}
	for (int i = 0; i < host_ncommands; i++)
		if (!strcmp(argv[1], host_commands[i]->name))
			return host_commands[i]->run(argc - 1, argv + 1);
	fprintf(stderr, "memcrypt: unknown command '%s' (see memcrypt --help)\n", argv[1]);
	return 2;
}
