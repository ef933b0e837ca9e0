/* Where the screen and the ACPI tables are, for the kernel. */
#include "efi/stage.h"

void stage_find_framebuffer(struct mc_framebuffer *fb)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	fb->format = MC_FB_NONE;
	if (EFI_ERROR(LibLocateProtocol(&GraphicsOutputProtocol, (void **)&gop)) || !gop || !gop->Mode)
		return;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi = gop->Mode->Info;
	switch (mi->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->format = MC_FB_RGBX;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->format = MC_FB_BGRX;
		break;
	case PixelBitMask:
		fb->format = MC_FB_BITMASK;
		fb->red_mask = mi->PixelInformation.RedMask;
		fb->green_mask = mi->PixelInformation.GreenMask;
		fb->blue_mask = mi->PixelInformation.BlueMask;
		break;
	default:
		return;   /* PixelBltOnly: no linear framebuffer */
	}
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = mi->HorizontalResolution;
	fb->height = mi->VerticalResolution;
	fb->stride = mi->PixelsPerScanLine;
}

u64 stage_find_rsdp(void)
{
	/* Prefer the ACPI 2.0+ RSDP (it carries the XSDT); fall back to 1.0. */
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	void *t = NULL;
	if (!EFI_ERROR(LibGetSystemConfigurationTable(&acpi20, &t)) && t)
		return (u64)(uintptr_t)t;
	t = NULL;
	if (!EFI_ERROR(LibGetSystemConfigurationTable(&AcpiTableGuid, &t)) && t)
		return (u64)(uintptr_t)t;
	return 0;
}
