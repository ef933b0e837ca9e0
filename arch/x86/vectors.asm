; The 32 exception vectors and stubs for the interrupt vectors 32-255 (the
; kernel's IPIs and LAPIC timer, kernel/smp.c, kernel/watchdog.c). Each stub pushes a uniform frame (error code 0
; where the CPU pushes none, X86_ERROR_NONE where a vector that has one was
; raised by INT n, which pushes none; then the vector), saves the general registers
; and calls x86_exception_dispatch(struct x86_frame *) (arch/x86/idt.c),
; which either redirects RIP to a fixup or never returns.
bits 64
default rel
section .text

extern x86_exception_dispatch
global x86_isr_table

%macro ISR_NOERR 1
isr%1:
	push 0
	push %1
	jmp isr_common
%endmacro
; A vector the CPU enters with an error code (SDM vol. 3 6.13) can also be
; entered by software, INT n, which pushes none (SDM vol. 3 6.4.2). Tell them
; apart by the slot where the CPU's frame keeps CS: with an error code it is
; [rsp+16] on entry; after INT n that slot holds RFLAGS, whose bit 1 is always
; set, while a ring-0 GDT selector has bits 0-1 clear: never equal.
%macro ISR_ERR 1
isr%1:
	push rax
	mov ax, cs
	movzx eax, ax
	cmp [rsp+24], rax
	pop rax
	je %%has_error
	push -1                    ; X86_ERROR_NONE (arch/x86/cpu.h)
%%has_error:
	push %1
	jmp isr_common
%endmacro

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR   8
ISR_NOERR 9
ISR_ERR   10
ISR_ERR   11
ISR_ERR   12
ISR_ERR   13
ISR_ERR   14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR   17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR   21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR   29
ISR_ERR   30
ISR_NOERR 31
%assign i 32
%rep 224
ISR_NOERR i
%assign i i+1
%endrep

isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	mov rbx, rsp
	and rsp, -16
	call x86_exception_dispatch wrt ..plt
	mov rsp, rbx
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16
	iretq

section .data
align 8
x86_isr_table:
%assign i 0
%rep 256
	dq isr %+ i
%assign i i+1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
