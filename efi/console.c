#include "efi/stage.h"
#include "arch/x86/serial.h"
#include "lib/report.h"
#include "lib/mem.h"

static u16 raw_serial;

/* Does the firmware already send ConOut to a serial terminal? Then a raw
 * write to the UART would print every line twice. The ConOut variable lists
 * the console device paths; a UART node (Messaging, subtype 14) in any of
 * them means a serial terminal is among them. */
static bool conout_has_serial(void)
{
	UINTN size = 0;
	u8 *paths = LibGetVariableAndSize(L"ConOut", &EfiGlobalVariable, &size);
	bool found = false;
	if (!paths)
		return false;
	for (UINTN off = 0; off + 4 <= size;) {
		u8 type = paths[off], sub = paths[off + 1];
		u16 len = (u16)(paths[off + 2] | paths[off + 3] << 8);
		if (len < 4)
			break;
		if (type == MESSAGING_DEVICE_PATH && sub == MSG_UART_DP)
			found = true;
		off += len;
	}
	FreePool(paths);
	return found;
}

/* Pick the text mode with the most columns, so that report lines do not
 * wrap on screen or on the firmware's serial terminal. */
static void widest_text_mode(void)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = ST->ConOut;
	UINTN best = 0, best_cols = 0;
	for (UINTN m = 0; m < (UINTN)out->Mode->MaxMode; m++) {
		UINTN cols, rows;
		if (out->QueryMode(out, m, &cols, &rows) == EFI_SUCCESS && cols > best_cols) {
			best = m;
			best_cols = cols;
		}
	}
	if (best_cols && (UINTN)out->Mode->Mode != best)
		out->SetMode(out, best);
}

void stage_console_init(u16 serial_port)
{
	widest_text_mode();
	raw_serial = 0;
	if (serial_port && !conout_has_serial() && serial_init(serial_port))
		raw_serial = serial_port;
}

void stage_line(const char *line)
{
	CHAR16 wide[256];
	size_t n = 0;
	for (const char *c = line; *c && n + 3 < ARRAY_SIZE(wide); c++)
		wide[n++] = (CHAR16)(u8)*c;
	wide[n++] = '\r';
	wide[n++] = '\n';
	wide[n] = 0;
	ST->ConOut->OutputString(ST->ConOut, wide);
	if (raw_serial) {
		serial_puts(raw_serial, line);
		serial_puts(raw_serial, "\n");
	}
}

void stage_print(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mc_line_vprintf(stage_line, fmt, ap);
	va_end(ap);
}
