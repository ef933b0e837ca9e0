#include "host/command.h"
#include "lib/report.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct host_command *host_commands[64];
int host_ncommands;

void host_command_register(const struct host_command *cmd)
{
	if (host_ncommands < (int)(sizeof(host_commands) / sizeof(host_commands[0])))
		host_commands[host_ncommands++] = cmd;
}

char *host_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
				errno = EIO;
			}
			break;
		}
		cap *= 2;
		char *bigger = realloc(buf, cap + 1);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		return NULL;
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

void host_print_results(const struct mc_results *res)
{
	char line[MC_RESULT_ID_MAX * 2 + MC_RESULT_DETAIL_MAX + 16];
	for (u32 i = 0; i < res->count; i++) {
		mc_result_format(&res->r[i], line, sizeof(line));
		printf("%s\n", line);
	}
	mc_summary_format(res, line, sizeof(line));
	printf("%s\n", line);
}
