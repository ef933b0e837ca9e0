/* stage_report_write: the stage's results on the ESP as \memcrypt\report.txt
 * (the report lines and the SUMMARY) and \memcrypt\report.json (the check
 * library's JSON: facts and every result, the BIOS stage's included). A
 * read-only or full ESP is a WARN: the report is also on screen and
 * serial, and the run goes on. */
#include "efi/bios.h"
#include "lib/fmt.h"
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

	write_one(L"\\memcrypt\\report.txt", "\\memcrypt\\report.txt", text, n, res);
	if (jn < 0)
		mc_report(res, MC_WARN, "uefi.report", "\\memcrypt\\report.json not written: JSON larger than %u bytes", JSON_MAX);
	else
		write_one(L"\\memcrypt\\report.json", "\\memcrypt\\report.json", json, (size_t)jn, res);
	FreePool(text);
	FreePool(json);
}
