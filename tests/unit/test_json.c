/* lib/json.c: the one JSON writer behind report.json and last-run.json.
 * Escaping follows RFC 8259 section 7; a buffer that is too small gives -1
 * and an empty buffer, never a write past its end. */
#include "tests/unit/harness.h"
#include "lib/json.h"
#include <stdlib.h>
#include <string.h>

/* One JSON string written alone; the text, or "" on overflow. */
static const char *as_json(const char *s)
{
	static char buf[256];
	struct mc_json w;
	mc_json_init(&w, buf, sizeof(buf));
	mc_json_str(&w, s);
	return mc_json_end(&w) < 0 ? "" : buf;
}

TEST(json, string_escapes)
{
	const char *got = as_json("say \"hi\"");
	EXPECT(!strcmp(got, "\"say \\\"hi\\\"\""), "a quote becomes \\\" (got %s)", got);
	got = as_json("C:\\memcrypt\\");
	EXPECT(!strcmp(got, "\"C:\\\\memcrypt\\\\\""), "a backslash becomes \\\\ (got %s)", got);
	got = as_json("a\nb\tc\x01\x1f");
	EXPECT(!strcmp(got, "\"a\\u000ab\\u0009c\\u0001\\u001f\""),
	       "control characters (0x01-0x1f) become \\u00XX, lower-case hex (got %s)", got);
	got = as_json("del\x7f");
	EXPECT(!strcmp(got, "\"del\\u007f\""), "DEL is escaped too, so the output stays printable (got %s)", got);
	got = as_json("plain / {} [] , : ~ \xc3\xa9");
	EXPECT(!strcmp(got, "\"plain / {} [] , : ~ \xc3\xa9\""),
	       "other characters, slash and UTF-8 bytes included, pass unchanged (got %s)", got);
	got = as_json("");
	EXPECT(!strcmp(got, "\"\""), "the empty string is \"\" (got %s)", got);
}

TEST(json, members_and_commas)
{
	char buf[256];
	struct mc_json w;
	mc_json_init(&w, buf, sizeof(buf));
	mc_json_open(&w, NULL, "{");
	mc_json_str_member(&w, "s", "v");
	mc_json_str_member(&w, "n", NULL);
	mc_json_bool_member(&w, "t", true);
	mc_json_bool_member(&w, "f", false);
	mc_json_u64_member(&w, "u", 18446744073709551615ull);
	mc_json_open(&w, "a", "[");
	mc_json_item(&w, "1");
	mc_json_open(&w, NULL, "{");
	mc_json_key(&w, "k");
	mc_json_raw(&w, "2");
	mc_json_close(&w, "}");
	mc_json_item(&w, "3");
	mc_json_close(&w, "]");
	mc_json_open(&w, "e", "[");
	mc_json_close(&w, "]");
	mc_json_close(&w, "}");
	int n = mc_json_end(&w);
	const char *want = "{\"s\":\"v\",\"n\":null,\"t\":true,\"f\":false,\"u\":18446744073709551615,"
			   "\"a\":[1,{\"k\":2},3],\"e\":[]}";
	EXPECT(n == (int)strlen(want) && !strcmp(buf, want),
	       "commas only between members and elements, null for a NULL string, u64 max in full (got %d: %s)", n, buf);
	mc_json_init(&w, buf, sizeof(buf));
	mc_json_str_member(&w, "k\"ey", "x");
	EXPECT(mc_json_end(&w) > 0 && !strcmp(buf, "\"k\\\"ey\":\"x\""), "keys are escaped like values (got %s)", buf);
}

/* The object above into every buffer size from 0 up: each size below the
 * length + 1 overflows; the bytes after the given size are never touched. */
static int write_into(char *buf, size_t size)
{
	struct mc_json w;
	mc_json_init(&w, buf, size);
	mc_json_open(&w, NULL, "{");
	mc_json_str_member(&w, "detail", "\\memcrypt\\report.txt \"x\"\n");
	mc_json_u64_member(&w, "n", 42);
	mc_json_close(&w, "}");
	return mc_json_end(&w);
}

TEST(json, overflow)
{
	char full[128];
	int n = write_into(full, sizeof(full));
	EXPECT(n > 0 && (size_t)n == strlen(full), "the reference object fits in 128 bytes (%d)", n);

	int bad_size = -1, bad_guard = -1, not_empty = -1;
	for (size_t size = 0; size <= (size_t)n + 1; size++) {
		char *buf = malloc(size + 16);         /* 16 guard bytes after it */
		memset(buf, 0x5a, size + 16);
		int got = write_into(buf, size);
		bool want_fit = size >= (size_t)n + 1;  /* the text and its NUL */
		if ((want_fit ? got != n || strcmp(buf, full) : got != -1) && bad_size < 0)
			bad_size = (int)size;
		if (!want_fit && size && buf[0] && not_empty < 0)
			not_empty = (int)size;
		for (int g = 0; g < 16; g++)
			if (buf[size + (size_t)g] != 0x5a && bad_guard < 0)
				bad_guard = (int)size;
		free(buf);
	}
	EXPECT(bad_size < 0, "sizes 0..%d give -1 and size %d gives the object (first wrong size: %d)", n, n + 1,
	       bad_size);
	EXPECT(not_empty < 0, "after an overflow the buffer holds an empty string, not a truncated object "
	       "(first size left non-empty: %d)", not_empty);
	EXPECT(bad_guard < 0, "no byte written past the buffer at any size (first size that did: %d)", bad_guard);
	EXPECT(write_into(NULL, 64) == -1, "a NULL buffer is an overflow, not a crash");
}
