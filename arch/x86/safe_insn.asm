; Fault-safe instructions and their exception-fixup table.
; Each guarded instruction has an entry (instruction address, fixup address)
; in fixup_table. On a fault, arch/x86/idt.c looks the RIP up, puts the
; vector in RAX and resumes at the fixup, which returns it to the caller.
; Position independent: the table's absolute addresses are relocated by the
; loader (the EFI image's own relocation, or the stage's kernel loader).
bits 64
default rel
section .text

global __x86_rdmsr_safe
global __x86_wrmsr_safe
global __x86_pconfig_safe
global __x86_ud2_safe
global __x86_read64_safe
global x86_fixup_lookup

; int __x86_rdmsr_safe(u32 msr /*edi*/, u64 *val /*rsi*/)
__x86_rdmsr_safe:
	mov ecx, edi
.insn:	rdmsr
	shl rdx, 32
	or rax, rdx
	mov [rsi], rax
	xor eax, eax
	ret
.fixup:	ret

; int __x86_wrmsr_safe(u32 msr /*edi*/, u64 val /*rsi*/)
__x86_wrmsr_safe:
	mov ecx, edi
	mov eax, esi
	mov rdx, rsi
	shr rdx, 32
.insn:	wrmsr
	xor eax, eax
	ret
.fixup:	ret

; int __x86_pconfig_safe(u32 leaf /*edi*/, const void *s /*rsi*/, u64 *rax /*rdx*/, u8 *zf /*rcx*/)
; PCONFIG: EAX = leaf, RBX = struct (Intel seed 6.2.1.1); result in RAX, ZF.
__x86_pconfig_safe:
	push rbx
	mov r8, rdx
	mov r9, rcx
	mov eax, edi
	mov rbx, rsi
.insn:	db 0x0f, 0x01, 0xc5		; PCONFIG (Intel seed Table 6-1)
	setz cl
	mov [r8], rax
	mov [r9], cl
	pop rbx
	xor eax, eax
	ret
.fixup:	pop rbx
	ret

; int __x86_ud2_safe(void): a deliberate #UD, recovered (tests the fixup path)
__x86_ud2_safe:
.insn:	ud2
	xor eax, eax
	ret
.fixup:	ret

; int __x86_read64_safe(const volatile u64 *addr /*rdi*/, u64 *val /*rsi*/)
; A guarded load: #GP for a non-canonical address, #PF for an unmapped one.
__x86_read64_safe:
.insn:	mov rax, [rdi]
	mov [rsi], rax
	xor eax, eax
	ret
.fixup:	ret

; u64 x86_fixup_lookup(u64 rip /*rdi*/)
x86_fixup_lookup:
	lea rsi, [fixup_table]
	lea rcx, [fixup_table_end]
.next:	cmp rsi, rcx
	jae .none
	cmp rdi, [rsi]
	je .found
	add rsi, 16
	jmp .next
.found:	mov rax, [rsi + 8]
	ret
.none:	xor eax, eax
	ret

section .data
align 8
fixup_table:
	dq __x86_rdmsr_safe.insn,  __x86_rdmsr_safe.fixup
	dq __x86_wrmsr_safe.insn,  __x86_wrmsr_safe.fixup
	dq __x86_pconfig_safe.insn, __x86_pconfig_safe.fixup
	dq __x86_ud2_safe.insn,    __x86_ud2_safe.fixup
	dq __x86_read64_safe.insn, __x86_read64_safe.fixup
fixup_table_end:

section .note.GNU-stack noalloc noexec nowrite progbits
