; Raising each of the 32 exception vectors on purpose, for the tests that
; show every one is reported (kernel-test=vector-N, stage-test=vector-N;
; tests/qemu/exceptions-*.sh). Two ways per vector:
;   natural  the instruction that makes the CPU raise it (divide by zero,
;            single-step, a not-present segment, x87 and SSE exceptions...),
;            where one exists in 64-bit ring 0;
;   by INT n the software interrupt, which reaches the same gate (and, for a
;            vector with an error code, pushes none: arch/x86/vectors.asm).
; x86_raise_table (arch/x86/raise.h) holds, per vector, both entry points and
; the RIP the CPU will report: the faulting instruction for a fault, the next
; one for a trap (SDM vol. 3 6.5, Table 6-1). A raiser that does not fault
; puts back what it changed and returns.
bits 64
default rel
section .text

%define GDT_KERNEL_DS   0x10           ; arch/x86/gdt.h
%define GDT_NOT_PRESENT 0x28           ; arch/x86/gdt.h: a data descriptor with P=0

; ---- natural causes ------------------------------------------------------
raise_nat_0:                           ; #DE: DIV by zero (fault)
	xor eax, eax
	xor edx, edx
	xor ecx, ecx
nat_at_0:
	div ecx
	ret

raise_nat_1:                           ; #DB: single-step trap after the
	pushfq                             ; instruction that follows POPF
	or qword [rsp], 0x100              ; (SDM vol. 3 17.3.1.4)
	popfq
	nop
nat_at_1:
	pushfq
	and qword [rsp], ~0x100
	popfq
	ret

raise_nat_3:                           ; #BP: INT3 (trap)
	int3
nat_at_3:
	ret

raise_nat_6:                           ; #UD: UD2 (fault)
nat_at_6:
	ud2
	ret

raise_nat_7:                           ; #NM: an SSE instruction with CR0.TS=1
	mov rax, cr0
	or rax, 8
	mov cr0, rax
nat_at_7:
	movaps xmm0, xmm0
	and rax, ~8
	mov cr0, rax
	ret

raise_nat_11:                          ; #NP(selector): load DS with a
	mov ax, GDT_NOT_PRESENT            ; not-present descriptor (SDM vol. 3 6.15)
nat_at_11:
	mov ds, ax
	mov ax, GDT_KERNEL_DS
	mov ds, ax
	ret

raise_nat_12:                          ; #SS(selector): load SS with a
	mov ax, GDT_NOT_PRESENT            ; not-present descriptor (SDM vol. 3
nat_at_12:                             ; 6.15, interrupt 12; MOV: SS is never
	mov ss, ax                         ; changed by the faulting load)
	mov ax, GDT_KERNEL_DS
	mov ss, ax
	ret

raise_nat_13:                          ; #GP(0): a non-canonical address
	mov rax, 0x8000000000000000
nat_at_13:
	mov rax, [rax]
	ret

raise_nat_14:                          ; #PF: the last page of the address
	mov rax, 0xfffffffffffff000        ; space, mapped by no one
nat_at_14:
	mov rax, [rax]
	ret

raise_nat_16:                          ; #MF: an unmasked x87 zero-divide,
	mov rax, cr0                       ; reported at the next waiting x87
	or rax, 0x20                       ; instruction with CR0.NE=1
	mov cr0, rax                       ; (SDM vol. 1 8.6)
	fninit
	sub rsp, 8
	mov word [rsp], 0x037b             ; default control word, ZM clear
	fldcw [rsp]
	fld1
	fldz
	fdivp st1, st0
nat_at_16:
	fwait
	fninit
	add rsp, 8
	ret

raise_nat_19:                          ; #XM: an unmasked SSE zero-divide
	mov rax, cr4                       ; with CR4.OSXMMEXCPT=1
	or rax, 0x400                      ; (SDM vol. 3 6.15, interrupt 19)
	mov cr4, rax
	sub rsp, 8
	mov dword [rsp], 0x1d80            ; default MXCSR, ZM clear
	ldmxcsr [rsp]
	xorps xmm1, xmm1
	mov eax, 1
	cvtsi2ss xmm0, eax
nat_at_19:
	divss xmm0, xmm1
	mov dword [rsp], 0x1f80
	ldmxcsr [rsp]
	add rsp, 8
	ret

; ---- by INT n ------------------------------------------------------------
%assign v 0
%rep 32
raise_int_ %+ v:
	int v
int_at_ %+ v:
	ret
%assign v v+1
%endrep

; ---- the boot CPU's stack overflow (kernel: a guard page below it) -----
; Pushes until a push faults: the #PF cannot be delivered on the same stack
; either, so the CPU raises #DF, which runs on IST1 (SDM vol. 3 6.15,
; interrupt 8: a page fault while delivering a page fault).
global x86_raise_stack_overflow:function hidden
x86_raise_stack_overflow:
	push rax
	jmp x86_raise_stack_overflow

; ---- a loop to be interrupted (kernel-test=nmi) --------------------------
; void x86_wait_until_tsc(u64 end): spins with PAUSE until RDTSC >= end.
; Its code lies between x86_wait_loop_begin and x86_wait_loop_end, so the
; test can tell that an NMI arrived while the kernel waited here.
global x86_wait_until_tsc:function hidden, x86_wait_loop_begin:function hidden, x86_wait_loop_end:function hidden
x86_wait_until_tsc:
x86_wait_loop_begin:
	pause
	rdtsc
	shl rdx, 32
	or rax, rdx
	cmp rax, rdi
	jb x86_wait_loop_begin
x86_wait_loop_end:
	ret

section .data
align 8
; struct x86_raiser { u64 natural, natural_at, by_int, int_at; }[32]
global x86_raise_table:data hidden
x86_raise_table:
%assign v 0
%rep 32
%if v == 0 || v == 1 || v == 3 || v == 6 || v == 7 || v == 11 || v == 12 || v == 13 || v == 14 || v == 16 || v == 19
	dq raise_nat_ %+ v, nat_at_ %+ v
%else
	dq 0, 0
%endif
	dq raise_int_ %+ v, int_at_ %+ v
%assign v v+1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
