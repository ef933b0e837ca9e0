/* host/jsonread.c and host/report_html.c: the JSON reader on what RFC 8259
 * allows and forbids, and the HTML report's content on a document whose
 * answers are known (a per-CPU difference, a reserved bit set, FAIL rows
 * first). The rendering in a browser is tests/qemu/lab.sh's. */
#include "tests/unit/harness.h"
#include "host/jsonread.h"
#include "host/report_html.h"
#include <stdlib.h>
#include <string.h>

TEST(jsonread, values_and_escapes)
{
	char err[200] = "";
	struct jv *v = jv_parse(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"q\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\","
				"\"o\": {\"k\": \"0x1f\"}} ", err, sizeof(err));
	EXPECT(v != NULL, "a valid document parses (%s)", err);
	if (!v)
		return;
	const struct jv *a = jv_get(v, "a");
	EXPECT(a && a->type == JV_ARR && a->n == 5 && a->items[1].num == -25 && a->items[2].b && a->items[4].type == JV_NULL,
	       "array of number, exponent, true, false, null");
	EXPECT(!strcmp(jv_str(jv_get(v, "s"), ""), "q\"\\/\n\xc3\xa9\xf0\x9f\x98\x80"),
	       "escapes, \\u00e9 and a surrogate pair become UTF-8");
	EXPECT(!strcmp(jv_str(jv_path(v, "o.k"), ""), "0x1f") && !jv_path(v, "o.x") && !jv_path(v, "a.b"),
	       "jv_path follows members and answers NULL for absent ones");
	jv_free(v);
}

TEST(jsonread, errors_name_line_and_column)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "{\"a\": 1,\n \"b\" 2}", "line 2, column 6: expected ':'" },
		{ "[1, 2", "line 1, column 6: expected ',' or ']'" },
		{ "\"abc", "unterminated string" },
		{ "{\"a\": \"\\x\"}", "bad escape" },
		{ "{\"a\": \"\\ud800x\"}", "bad \\u escape" },
		{ "[1] 2", "text after the JSON value" },
		{ "", "unexpected end of input" },
		{ "{\"a\": \"tab\there\"}", "control character" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char err[200] = "";
		struct jv *v = jv_parse(bad[i].text, err, sizeof(err));
		EXPECT(!v && strstr(err, bad[i].want), "rejects %zu: \"%s\" (got \"%s\")", i, bad[i].want, err);
		jv_free(v);
	}
	char deep[200];
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = 0;
	char err[200] = "";
	EXPECT(!jv_parse(deep, err, sizeof(err)) && strstr(err, "nested too deeply"), "depth is bounded (%s)", err);
}

static char *render(const char *json, const struct rh_percpu *pc)
{
	char err[200];
	struct jv *v = jv_parse(json, err, sizeof(err));
	if (!v)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct rh_input in = { v, "unit test", NULL, pc };
	rh_write(f, &in);
	fclose(f);
	jv_free(v);
	return buf;
}

TEST(report_html, content)
{
	static struct rh_percpu pc;
	pc.cpus = 4;
	pc.nregs = 1;
	pc.reg[0] = "MK_TME_CORE_ACTIVATE";
	pc.msr[0] = 0x9ff;
	for (int c = 0; c < 4; c++)
		pc.val[0][c] = c == 2 ? 0 : 6ull << 32;
	pc.fault[0][3] = -1;
	char *h = render("{\"vendor_id\":\"GenuineIntel\",\"cpus\":4,\"packages\":1,\"phys_bits\":52,"
			 "\"tme\":{\"keyid_bits\":6,\"keyid_shift\":46,\"keyids\":63,\"mktme_keyids\":63,\"tdx_keyids\":0},"
			 "\"raw\":{\"IA32_TME_ACTIVATE\":\"0x5000600000023\",\"IA32_TME_CAPABILITY\":\"0x3f680000007\"},"
			 "\"checks\":[{\"id\":\"tme.locked\",\"verdict\":\"PASS\",\"detail\":\"locked <ok>\"},"
			 "{\"id\":\"mktme.core_activate\",\"verdict\":\"FAIL\",\"detail\":\"cpu 2\"},"
			 "{\"id\":\"tme.bypass\",\"verdict\":\"WARN\",\"detail\":\"w\"}],"
			 "\"summary\":{\"pass\":1,\"fail\":1,\"warn\":1,\"skip\":0,\"info\":0}}", &pc);
	EXPECT(h != NULL, "the report renders");
	if (!h)
		return;
	char *fail = strstr(h, ">FAIL</td>"), *warn = strstr(h, ">WARN</td>"), *pass = strstr(h, ">PASS</td>");
	EXPECT(fail && warn && pass && fail < warn && warn < pass, "verdict rows: FAIL, then WARN, then PASS");
	EXPECT(strstr(h, "locked &lt;ok&gt;") != NULL, "details are HTML-escaped");
	EXPECT(strstr(h, "IA32_TME_ACTIVATE (MSR 982H) = 0x0005000600000023") && strstr(h, "Intel seed, Tables 4-2 and 4-3"),
	       "IA32_TME_ACTIVATE with its value and the seed's tables");
	EXPECT(strstr(h, "<td>TME policy (algorithm)</td><td class=\"mono\">0x2</td><td>AES-XTS-256</td>") != NULL,
	       "the policy field decoded as AES-XTS-256");
	EXPECT(strstr(h, "<td>MK_TME_CRYPTO_ALGS</td><td class=\"mono\">0x5</td><td>AES-XTS-128 AES-XTS-256 </td>") != NULL,
	       "MK_TME_CRYPTO_ALGS decoded");
	EXPECT(strstr(h, "<td class=\"bits\">1</td><td>reserved</td><td class=\"mono\">0x1</td><td><b>set: must be 0</b>") != NULL,
	       "a set reserved bit of IA32_TME_CAPABILITY is marked");
	EXPECT(strstr(h, "&ne; 0x0000000000000000") && strstr(h, "1 value differs from CPU 0") && strstr(h, "unreachable"),
	       "per-CPU grid: CPU 2's value marked as differing, CPU 3 unreachable");
	EXPECT(strstr(h, "bits 51:46<br>KeyID (6 bits") && strstr(h, "KeyID 1 of physical address 0x1000 is 0x400000001000"),
	       "KeyID layout: bits 51:46 and a worked example");
	EXPECT(strstr(h, "MK_TME_CORE_ACTIVATE (MSR 9FFH)") != NULL, "CPU 0's MK_TME_CORE_ACTIVATE drawn from the grid");
	EXPECT(!strstr(h, "http") && !strstr(h, "<script"), "self-contained: no link, no script");
	free(h);
}
