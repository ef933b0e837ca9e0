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

static UINTN wlen(const CHAR16 *s)
{
	UINTN n = 0;
	while (s[n])
		n++;
	return n;
}

/* Write data as a new file at path (created or truncated), flushed on
 * close. */
static EFI_STATUS write_new(const CHAR16 *path, const void *data, UINTN size)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS s = root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (!EFI_ERROR(s))
		fh->Delete(fh);   /* a leftover from an interrupted run */
	s = root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(s))
		return s;
	UINTN n = size;
	s = fh->Write(fh, &n, (void *)data);
	if (!EFI_ERROR(s) && n != size)
		s = EFI_VOLUME_FULL;
	EFI_STATUS c = fh->Close(fh);   /* Close flushes: a full ESP can fail here */
	if (!EFI_ERROR(s) && EFI_ERROR(c))
		s = c;
	if (EFI_ERROR(s) && !EFI_ERROR(root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0)))
		fh->Delete(fh);
	return s;
}

/* Replace path with new contents without ever losing the old file to a
 * full or failing ESP: the new contents go to "<path>.new" first; only when
 * that is complete is the old file deleted and the new one renamed. */
EFI_STATUS stage_write_file(const CHAR16 *path, const void *data, UINTN size)
{
	EFI_FILE_HANDLE dir, fh;
	CHAR16 tmp[128];
	UINTN len = wlen(path);
	EFI_STATUS s;

	if (!root)
		return EFI_NOT_FOUND;
	if (len + 5 > ARRAY_SIZE(tmp))
		return EFI_INVALID_PARAMETER;
	s = root->Open(root, &dir, L"\\memcrypt", EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
		       EFI_FILE_DIRECTORY);
	if (EFI_ERROR(s))
		return s;
	dir->Close(dir);

	for (UINTN i = 0; i < len; i++)
		tmp[i] = path[i];
	tmp[len] = '.', tmp[len + 1] = 'n', tmp[len + 2] = 'e', tmp[len + 3] = 'w', tmp[len + 4] = 0;
	s = write_new(tmp, data, size);
	if (EFI_ERROR(s))
		return s;

	if (!EFI_ERROR(root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0)))
		fh->Delete(fh);
	s = root->Open(root, &fh, tmp, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (EFI_ERROR(s))
		return s;
	/* Rename: SetInfo with the new name, relative to the file's directory. */
	EFI_FILE_INFO *info = LibFileInfo(fh);
	const CHAR16 *base = path;
	for (UINTN i = 0; i < len; i++)
		if (path[i] == '\\')
			base = path + i + 1;
	UINTN blen = wlen(base);
	UINTN isize = SIZE_OF_EFI_FILE_INFO + (blen + 1) * sizeof(CHAR16);
	EFI_FILE_INFO *ni = info ? AllocateZeroPool(isize) : NULL;
	if (!ni) {
		if (info)
			FreePool(info);
		fh->Close(fh);
		return EFI_OUT_OF_RESOURCES;
	}
	CopyMem(ni, info, SIZE_OF_EFI_FILE_INFO);
	ni->Size = isize;
	for (UINTN i = 0; i <= blen; i++)
		ni->FileName[i] = base[i];
	s = fh->SetInfo(fh, &GenericFileInfo, isize, ni);
	FreePool(ni);
	FreePool(info);
	EFI_STATUS c = fh->Close(fh);
	return EFI_ERROR(s) ? s : c;
}
