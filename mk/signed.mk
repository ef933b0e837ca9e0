# make signed SB_KEY=db.key SB_CERT=db.crt
#   BOOTX64.EFI signed for UEFI Secure Boot with Debian's sbsigntool
#   (Authenticode, the PE image's hash signed by the key whose certificate
#   the board has in its db), checked with sbverify, and packed with the
#   unchanged kernel.elf into build/memcrypt-signed.img. The stage checks
#   kernel.elf against the SHA-256 embedded in it (efi/kernel_digest.c), so
#   the signature covers the kernel too. SB_KEY: PEM private key without a
#   passphrase; SB_CERT: PEM certificate. README "Secure Boot" enrols it.
SIGNED_ESP := $(BUILD)/signed/esp
SIGNED_IMG := $(BUILD)/memcrypt-signed.img

.PHONY: signed
signed: $(EFI_APP) $(KERNEL_ELF) scripts/mkimg
	@test -n "$(SB_KEY)" && test -n "$(SB_CERT)" || \
	  { echo "make signed: give SB_KEY=FILE SB_CERT=FILE (PEM key and certificate; README: Secure Boot)" >&2; exit 2; }
	@test -f "$(SB_KEY)" || { echo "make signed: SB_KEY=$(SB_KEY): no such file" >&2; exit 2; }
	@test -f "$(SB_CERT)" || { echo "make signed: SB_CERT=$(SB_CERT): no such file" >&2; exit 2; }
	@command -v sbsign >/dev/null || { echo "make signed: sbsign not found (scripts/setup installs sbsigntool)" >&2; exit 2; }
	rm -rf $(SIGNED_ESP)
	mkdir -p $(dir $(SIGNED_ESP))
	cp -r $(ESP) $(SIGNED_ESP)
	sbsign --key "$(SB_KEY)" --cert "$(SB_CERT)" --output $(SIGNED_ESP)/EFI/BOOT/BOOTX64.EFI $(EFI_APP)
	sbverify --cert "$(SB_CERT)" $(SIGNED_ESP)/EFI/BOOT/BOOTX64.EFI
	scripts/mkimg $(SIGNED_ESP) $(SIGNED_IMG)
	@echo "make signed: $(SIGNED_IMG) (BOOTX64.EFI signed with $(SB_CERT))"
