/* mc_policy_load_options_ascii (lib/policy.c): the UEFI shell's
 * LoadOptions, UCS-2 and untrusted, as the stage turns them into policy
 * arguments. The rules are the stage's (efi/main.c before the move). */
#include "tests/unit/harness.h"
#include "lib/policy.h"
#include <string.h>

/* s as UCS-2 little-endian at an odd address, n bytes of it (2 per char,
 * plus the terminator when term). */
static const char *conv(const char *s, bool term, size_t outlen)
{
	static unsigned char buf[1 + 2 * 300];
	static char out[300];
	size_t n = strlen(s);
	for (size_t i = 0; i <= n; i++) {
		buf[1 + 2 * i] = (unsigned char)s[i];
		buf[2 + 2 * i] = 0;
	}
	mc_policy_load_options_ascii(buf + 1, 2 * n + (term ? 2 : 0), out, outlen);
	return out;
}

TEST(policy, load_options_ascii)
{
	EXPECT(!strcmp(conv("memcrypt.efi mode=program tme=on", true, 256), "mode=program tme=on"),
	       "the program's own name (first word, no '=') is dropped");
	EXPECT(!strcmp(conv("mode=program", true, 256), "mode=program"), "a first word with '=' is an argument");
	EXPECT(!strcmp(conv("BOOTX64.EFI   exit=halt", false, 256), "exit=halt"),
	       "no terminator, odd address: the size bounds it; blanks after the name go too");
	EXPECT(!strcmp(conv("x.efi keyid-bits=6", true, 12), "keyid"),
	       "cut to the buffer (12 bytes: 11 characters, then the name goes), never past it");
	EXPECT(!strcmp(conv("x.efi\tmode=program", true, 256), ""), "a tab (not printable ASCII) gives no arguments");
	static const unsigned char bin[] = { 0x01, 0x00, 0x00, 0x00, 0x62, 0x00, 0xff, 0xfe };
	char out[16] = "junk";
	mc_policy_load_options_ascii(bin, sizeof(bin), out, sizeof(out));
	EXPECT(!out[0], "boot-manager binary data gives no arguments");
	strcpy(out, "junk");
	mc_policy_load_options_ascii(bin, 1, out, sizeof(out));
	EXPECT(!out[0], "a size under 2 gives none");
	unsigned char wide[] = { 'a', 0, '=', 0x01, 0, 0 };   /* U+013D: not ASCII */
	mc_policy_load_options_ascii(wide, sizeof(wide), out, sizeof(out));
	EXPECT(!out[0], "a character above 0x7e in the high byte gives none");
}
