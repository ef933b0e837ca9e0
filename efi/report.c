/* stage_report_write: the stage's results on the ESP as \memcrypt\report.txt
 * (the report lines and the SUMMARY) and \memcrypt\report.json (the check
 * library's JSON: facts and every result, the BIOS stage's included). A
 * read-only or full ESP is a WARN: the report is also on screen and
 * serial, and the run goes on. */
#include "efi/bios.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/mem.h"

#define TEXT_MAX  (MC_MAX_RESULTS * (MC_RESULT_ID_MAX * 2 + MC_RESULT_DETAIL_MAX + 16) + 256)
#define JSON_MAX  (512u << 10)

static void write_one(const CHAR16 *path, const char *display, const char *data, size_t len, struct mc_results *res)
{
	EFI_STATUS s = stage_write_file(path, data, len);
	if (EFI_ERROR(s))
		mc_report(res, MC_WARN, "uefi.report", "%s not written: %s; the run goes on (the report is on screen and serial)",
			  display, stage_efi_error(s));
	else
		mc_report(res, MC_INFO, "uefi.report", "%s written (%u bytes)", display, (unsigned)len);
}

/* report.json gets a "provenance" member (the contract allows more
 * fields: docs/report-format.md), spliced in before the object's closing
 * brace: who wrote it, on which firmware, when. `memcrypt report` prints
 * it. Returns the new length, or -1 if it did not fit. */
static int add_provenance(char *json, int jn, size_t size)
{
	char vendor[64], buf[64];
	size_t i = 0;
	for (const CHAR16 *v = ST->FirmwareVendor; v && *v && i + 1 < sizeof(vendor); v++)
		vendor[i++] = *v < 0x80 && *v >= 0x20 ? (char)*v : '?';
	vendor[i] = 0;
	struct mc_json w = { .buf = json, .size = size, .len = (size_t)jn - 1, .first = false };
	mc_json_open(&w, "provenance", "{");
	mc_json_str_member(&w, "writer", "memcrypt UEFI stage");
	mc_json_str_member(&w, "memcrypt_version", MC_VERSION);
	mc_json_str_member(&w, "firmware_vendor", vendor);
	mc_snprintf(buf, sizeof(buf), "0x%08x", (unsigned)ST->FirmwareRevision);
	mc_json_str_member(&w, "firmware_revision", buf);
	mc_snprintf(buf, sizeof(buf), "%u.%u", (unsigned)(ST->Hdr.Revision >> 16), (unsigned)(ST->Hdr.Revision & 0xffff) / 10);
	mc_json_str_member(&w, "uefi_revision", buf);
	EFI_TIME t;
	if (!EFI_ERROR(RT->GetTime(&t, NULL))) {
		mc_snprintf(buf, sizeof(buf), "%04u-%02u-%02uT%02u:%02u:%02u (firmware clock)", t.Year, t.Month, t.Day,
			    t.Hour, t.Minute, t.Second);
		mc_json_str_member(&w, "date", buf);
	} else {
		mc_json_str_member(&w, "date", NULL);
	}
	mc_json_close(&w, "}");
	mc_json_close(&w, "}");
	return mc_json_end(&w);
}

void stage_report_write(const struct mc_facts *facts, struct mc_results *res)
{
	char *text = AllocatePool(TEXT_MAX), *json = AllocatePool(JSON_MAX);
	if (!text || !json) {
		mc_report(res, MC_WARN, "uefi.report", "no memory for the report files; the run goes on");
		if (text) FreePool(text);
		if (json) FreePool(json);
		return;
	}
	/* Snapshot the results first: the INFO/WARN lines about writing the
	 * files are not in the files themselves. */
	size_t n = 0;
	for (u32 i = 0; i < res->count && n + 512 < TEXT_MAX; i++) {
		n += (size_t)mc_result_format(&res->r[i], text + n, TEXT_MAX - n);
		text[n++] = '\n';
	}
	n += (size_t)mc_summary_format(res, text + n, TEXT_MAX - n);
	text[n++] = '\n';
	int jn = mc_checks_json(facts, res, json, JSON_MAX);
	if (jn > 0)
		jn = add_provenance(json, jn, JSON_MAX);

	write_one(L"\\memcrypt\\report.txt", "\\memcrypt\\report.txt", text, n, res);
	if (jn < 0)
		mc_report(res, MC_WARN, "uefi.report", "\\memcrypt\\report.json not written: JSON larger than %u bytes", JSON_MAX);
	else
		write_one(L"\\memcrypt\\report.json", "\\memcrypt\\report.json", json, (size_t)jn, res);
	FreePool(text);
	FreePool(json);
}
