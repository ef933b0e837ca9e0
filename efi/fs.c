#include "efi/stage.h"
#include "lib/mem.h"

static EFI_FILE_HANDLE root;

EFI_STATUS stage_fs_init(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS s = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(s))
		return s;
	root = LibOpenRoot(li->DeviceHandle);
	return root ? EFI_SUCCESS : EFI_NOT_FOUND;
}

const char *stage_efi_error(EFI_STATUS s)
{
	switch (s) {
	case EFI_SUCCESS:            return "success";
	case EFI_NOT_FOUND:          return "not found";
	case EFI_OUT_OF_RESOURCES:   return "out of resources";
	case EFI_VOLUME_FULL:        return "volume full";
	case EFI_WRITE_PROTECTED:    return "write protected";
	case EFI_ACCESS_DENIED:      return "access denied";
	case EFI_DEVICE_ERROR:       return "device error";
	case EFI_VOLUME_CORRUPTED:   return "volume corrupted";
	case EFI_INVALID_PARAMETER:  return "invalid parameter";
	case EFI_BUFFER_TOO_SMALL:   return "buffer too small";
	case EFI_UNSUPPORTED:        return "unsupported";
	case EFI_LOAD_ERROR:         return "load error";
	case EFI_SECURITY_VIOLATION: return "security violation";
	default:                     return "error";
	}
}

EFI_STATUS stage_read_file(const CHAR16 *path, void **data, UINTN *size)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS s;

	if (!root)
		return EFI_NOT_FOUND;
	s = root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s))
		return s;
	EFI_FILE_INFO *info = LibFileInfo(fh);
	if (!info) {
		fh->Close(fh);
		return EFI_DEVICE_ERROR;
	}
	UINTN want = (UINTN)info->FileSize, got = want;
	FreePool(info);
	u8 *buf = AllocatePool(want + 1);
	if (!buf) {
		fh->Close(fh);
		return EFI_OUT_OF_RESOURCES;
	}
	s = fh->Read(fh, &got, buf);
	fh->Close(fh);
	if (!EFI_ERROR(s) && got != want)
		s = EFI_DEVICE_ERROR;   /* a short read is a damaged medium, not a smaller file */
	if (EFI_ERROR(s)) {
		FreePool(buf);
		return s;
	}
	buf[want] = 0;
	*data = buf;
	*size = want;
	return EFI_SUCCESS;
}

EFI_STATUS stage_write_file(const CHAR16 *path, const void *data, UINTN size)
{
	EFI_FILE_HANDLE dir, fh;
	EFI_STATUS s;

	if (!root)
		return EFI_NOT_FOUND;
	s = root->Open(root, &dir, L"\\memcrypt", EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
		       EFI_FILE_DIRECTORY);
	if (EFI_ERROR(s))
		return s;
	dir->Close(dir);
	/* Replace, not overwrite in place: a shorter report must not keep the
	 * tail of the last one. */
	s = root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (!EFI_ERROR(s))
		fh->Delete(fh);
	s = root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(s))
		return s;
	UINTN n = size;
	s = fh->Write(fh, &n, (void *)data);
	if (!EFI_ERROR(s) && n != size)
		s = EFI_VOLUME_FULL;
	EFI_STATUS c = fh->Close(fh);   /* Close flushes: a full ESP can fail here */
	return EFI_ERROR(s) ? s : c;
}
