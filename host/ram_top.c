/* See ram_top.h. /sys/firmware/memmap (drivers/firmware/memmap.c) holds
 * the firmware's memory map as booted, one directory per entry with
 * "start", "end" (inclusive) and "type" files, readable by everyone;
 * "System RAM" entries are what Linux's max_pfn (and so the SNP RMP it
 * needs, arch/x86/virt/svm/sev.c) covers. */
#include "host/ram_top.h"
#include "host/root_path.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool read_line(const char *root, const char *dir, const char *name, char *buf, size_t size)
{
	char path[900];
	if (host_root_path(path, sizeof(path), root, "/sys/firmware/memmap/%s/%s", dir, name))
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = 0;
	return ok;
}

u64 host_ram_top(const char *root)
{
	char path[640], type[64], num[32];
	u64 top = 0;
	if (host_root_path(path, sizeof(path), root, "/sys/firmware/memmap"))
		return 0;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !read_line(root, e->d_name, "type", type, sizeof(type)) ||
		    strcmp(type, "System RAM") || !read_line(root, e->d_name, "end", num, sizeof(num)))
			continue;
		char *end;
		unsigned long long v = strtoull(num, &end, 0);
		if (end != num && !*end && v + 1 > top)
			top = v + 1;
	}
	if (d)
		closedir(d);
	return top;
}
