#!/usr/bin/env bash
# Secure Boot: `make signed` signs BOOTX64.EFI with sbsigntool; sbverify
# accepts it and rejects a tampered copy; Debian's Secure Boot OVMF (its
# test key enrolled in PK/KEK/db) starts the signed stage and refuses the
# unsigned one; the signed stage still refuses a kernel.elf changed after
# the build, so the chain ends in a checked file.
SUITE=secureboot
source "$(dirname "$0")/lib.sh"
T=$TMPDIR_QEMU
signed=$ROOT/build/signed/esp/EFI/BOOT/BOOTX64.EFI
plain(){ echo "PASS: $SUITE: $*"; }
for tool in sbsign sbverify openssl; do
	command -v $tool >/dev/null || { echo "SKIP: $SUITE: $tool not installed (scripts/setup installs sbsigntool, openssl)"; exit 0; }
done
[[ -f /usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd ]] || { echo "SKIP: $SUITE: no Secure Boot OVMF (ovmf's OVMF_CODE_4M.snakeoil.fd)"; exit 0; }
bad(){ echo "FAIL: $SUITE: $*"; FAILED=1; }

# A throwaway key and certificate, made here.
openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 1 -subj "/CN=memcrypt throwaway test key/" \
	-keyout "$T/db.key" -out "$T/db.crt" 2>/dev/null
openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 1 -subj "/CN=some other key/" \
	-keyout "$T/other.key" -out "$T/other.crt" 2>/dev/null
make -s -C "$ROOT" signed >"$T/make0.log" 2>&1
rc=$?
((rc != 0)) && grep -q 'give SB_KEY=FILE SB_CERT=FILE' "$T/make0.log" &&
	plain "make signed without SB_KEY/SB_CERT: refused with the usage" || bad "make signed without keys: status $rc, $(tail -2 "$T/make0.log")"
if make -s -C "$ROOT" signed SB_KEY="$T/db.key" SB_CERT="$T/db.crt" >"$T/make.log" 2>&1; then
	plain "make signed SB_KEY=... SB_CERT=... built build/memcrypt-signed.img"
else
	bad "make signed failed: $(tail -3 "$T/make.log")"
fi
sbverify --cert "$T/db.crt" "$signed" >"$T/v.log" 2>&1 && plain "sbverify accepts the signed BOOTX64.EFI with its certificate" ||
	bad "sbverify rejected the signed binary: $(cat "$T/v.log")"
sbverify --cert "$T/other.crt" "$signed" >"$T/v.log" 2>&1 && bad "sbverify accepted the signature under another certificate" ||
	plain "sbverify rejects it under another certificate"
cp "$signed" "$T/tampered.efi"
printf '\xcc' | dd of="$T/tampered.efi" bs=1 seek=$((0x1000 + 64)) conv=notrunc status=none   # a byte of .text
sbverify --cert "$T/db.crt" "$T/tampered.efi" >"$T/v.log" 2>&1 && bad "sbverify accepted a tampered binary" ||
	plain "sbverify rejects a copy with one byte of code changed"
export MTOOLS_SKIP_CHECK=1
mcopy -n -i "$ROOT/build/memcrypt-signed.img@@1048576" ::/EFI/BOOT/BOOTX64.EFI "$T/img.efi" 2>/dev/null
mcopy -n -i "$ROOT/build/memcrypt-signed.img@@1048576" ::/memcrypt/kernel.elf "$T/img.elf" 2>/dev/null
cmp -s "$T/img.efi" "$signed" && cmp -s "$T/img.elf" "$ROOT/build/esp/memcrypt/kernel.elf" &&
	plain "build/memcrypt-signed.img holds the signed stage and the built kernel.elf" ||
	bad "build/memcrypt-signed.img does not hold the signed stage and kernel"

# Debian's test key (ovmf ships it, passphrase "snakeoil") signs a stage
# the Secure Boot firmware accepts.
openssl pkey -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil -out "$T/snakeoil.key"
make -s -C "$ROOT" signed SB_KEY="$T/snakeoil.key" SB_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem >"$T/make2.log" 2>&1 ||
	bad "make signed with the snakeoil key failed: $(tail -3 "$T/make2.log")"
cp "$signed" "$T/snakeoil-signed.efi"
digest=$(sha256sum "$ROOT/build/esp/memcrypt/kernel.elf" | cut -d' ' -f1)

boot signed-secure-boot --secure-boot --add "$T/snakeoil-signed.efi:EFI/BOOT/BOOTX64.EFI"
check "all pass (status 0)" status_is 0
check "the stage sees Secure Boot on" has 'INFO: uefi: secure_boot: SecureBoot=1 SetupMode=0'
check "kernel.elf matches the embedded digest, the one sha256sum gives" has "PASS: uefi: kernel_sha256: .*SHA-256 $digest "
check "the kernel ran and adopted exactly the stage's results" handed_off

boot unsigned-secure-boot --secure-boot --timeout 30
check "the firmware refuses the unsigned stage (Access Denied)" has 'BOOTX64|HARDDISK.*Access Denied'
check "the stage never ran" bash -c "! grep -q '^memcrypt' '$LOG'"

cp "$ROOT/build/esp/memcrypt/kernel.elf" "$T/changed.elf"
printf '\x90' | dd of="$T/changed.elf" bs=1 seek=4096 conv=notrunc status=none
boot signed-changed-kernel --secure-boot --add "$T/snakeoil-signed.efi:EFI/BOOT/BOOTX64.EFI" --kernel "$T/changed.elf"
check "failure status 1" status_is 1
check "the signed stage refuses the changed kernel.elf" has 'FAIL: uefi: kernel_sha256: .*the kernel was changed after the build; not loading it'
finish
