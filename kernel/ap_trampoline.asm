; The AP start-up trampoline (issue 11). kernel/smp.c copies the bytes from
; ap_trampoline_start to ap_trampoline_end into the page below 1 MiB the UEFI
; stage reserved, fills the data block (struct ap_tramp in kernel/smp.c, the
; same layout as TD_* below) and sends INIT-SIPI-SIPI with that page as the
; vector (Intel SDM vol. 3 8.4.4 "MP initialization example").
;
; The AP wakes in real mode at CS:IP = page>>4 : 0 and goes
;   real mode -> 32-bit protected mode (this page's own GDT)
;   -> CR4 (PAE, LA57 as the boot CPU has it), CR3 = the kernel's identity
;      map (below 4 GiB: a 32-bit MOV), EFER.LME|NXE, CR0.PG -> IA-32e
;   -> 64-bit code segment -> the kernel's stack for this AP -> ap_main(arg).
; Only differences of labels are used, so the bytes run wherever the page is.
bits 16
default abs
section .rodata

global ap_trampoline_start
global ap_trampoline_end
global ap_trampoline_data_off

TD_GDTR   equ 0      ; u16 limit, u32 base
TD_PMPTR  equ 8      ; u32 offset, u16 selector (m16:32)
TD_LMPTR  equ 16     ; u32 offset, u16 selector
TD_CR3    equ 24
TD_CR4    equ 28
TD_CR0    equ 32
TD_EFER   equ 36     ; EFER bits to set
TD_STACK  equ 40
TD_ENTRY  equ 48
TD_ARG    equ 56
TD_STAGE  equ 64     ; u32: how far the AP got (1 real, 2 protected, 3 long)

align 4096
ap_trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	xor ebx, ebx
	mov bx, ax
	shl ebx, 4                              ; ebx = this page's physical address
	mov dword [tr_data - ap_trampoline_start + TD_STAGE], 1
	o32 lgdt [tr_data - ap_trampoline_start + TD_GDTR]
	mov eax, cr0
	or eax, 1                               ; PE
	mov cr0, eax
	jmp dword far [tr_data - ap_trampoline_start + TD_PMPTR]

bits 32
tr_pm:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov dword [ebx + tr_data - ap_trampoline_start + TD_STAGE], 2
	mov eax, [ebx + tr_data - ap_trampoline_start + TD_CR4]
	mov cr4, eax
	mov eax, [ebx + tr_data - ap_trampoline_start + TD_CR3]
	mov cr3, eax
	mov ecx, 0xc0000080                     ; IA32_EFER
	rdmsr
	or eax, [ebx + tr_data - ap_trampoline_start + TD_EFER]
	wrmsr
	mov eax, [ebx + tr_data - ap_trampoline_start + TD_CR0]
	mov cr0, eax                            ; PG on: IA-32e (compatibility mode)
	jmp far [ebx + tr_data - ap_trampoline_start + TD_LMPTR]

bits 64
tr_lm:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov ebx, ebx                            ; zero-extend the page address
	mov dword [rbx + tr_data - ap_trampoline_start + TD_STAGE], 3
	mov rsp, [rbx + tr_data - ap_trampoline_start + TD_STACK]
	mov rdi, [rbx + tr_data - ap_trampoline_start + TD_ARG]
	mov rax, [rbx + tr_data - ap_trampoline_start + TD_ENTRY]
	xor ebp, ebp
	push rbp                                ; a return address slot: ABI stack alignment at entry
	jmp rax                                 ; ap_main never returns
.hang:	hlt
	jmp .hang

align 16
tr_data:
	dw tr_gdt_end - tr_gdt - 1              ; TD_GDTR: limit
	dd tr_gdt - ap_trampoline_start         ;          base (smp.c adds the page address)
	dw 0
	dd tr_pm - ap_trampoline_start          ; TD_PMPTR (smp.c adds the page address)
	dw 0x08
	dw 0
	dd tr_lm - ap_trampoline_start          ; TD_LMPTR (smp.c adds the page address)
	dw 0x18
	dw 0
	times 72 - ($ - tr_data) db 0           ; CR3 .. STAGE, filled by smp.c
align 16
tr_gdt:
	dq 0
	dq 0x00cf9a000000ffff                   ; 0x08: 32-bit code
	dq 0x00cf92000000ffff                   ; 0x10: data
	dq 0x00af9a000000ffff                   ; 0x18: 64-bit code
tr_gdt_end:
ap_trampoline_end:

align 8
ap_trampoline_data_off:
	dq tr_data - ap_trampoline_start

section .note.GNU-stack noalloc noexec nowrite progbits
