/* lib/kv.c: key=value lines and words, as policy files and shell arguments. */
#include "tests/unit/harness.h"
#include "lib/kv.h"
#include <string.h>

struct seen {
	int n;
	char last[64];
	unsigned int line;
};

static bool collect(void *arg, const char *k, const char *v, unsigned int line)
{
	struct seen *s = arg;
	s->n++;
	s->line = line;
	snprintf(s->last, sizeof(s->last), "%s=%s", k, v);
	return true;
}

TEST(kv, lines_and_words)
{
	struct seen s = { 0 };
	char err[200] = "";
	const char *text = "# comment\n\n  mode = program  \nexclude=0x1000:0x1000 # trailing\r\n";
	bool ok = mc_kv_parse_lines(text, strlen(text), collect, &s, err, sizeof(err));
	EXPECT(ok && s.n == 2 && !strcmp(s.last, "exclude=0x1000:0x1000") && s.line == 4,
	       "comments, blanks, spaces and CRLF handled; line numbers kept (%d pairs, last '%s' on line %u)",
	       s.n, s.last, s.line);
	memset(&s, 0, sizeof(s));
	ok = mc_kv_parse_lines("a=1\nnot a pair\n", 16, collect, &s, err, sizeof(err));
	EXPECT(!ok && strstr(err, "line 2: expected key=value"), "a line without '=' is named by number (%s)", err);
	ok = mc_kv_parse_lines("=x\n", 3, collect, &s, err, sizeof(err));
	EXPECT(!ok && strstr(err, "line 1"), "an empty key is an error");
	memset(&s, 0, sizeof(s));
	ok = mc_kv_parse_words("mode=program  tme=on", collect, &s, err, sizeof(err));
	EXPECT(ok && s.n == 2 && s.line == 2, "shell words parsed as arguments 1..2");
	ok = mc_kv_parse_words("mode=program bogus", collect, &s, err, sizeof(err));
	EXPECT(!ok && strstr(err, "argument 2"), "a bad word is named by argument number (%s)", err);
}
