/* ALU peak (docs/crypto.md, "How ct64 reached 0.5x"): the core clock
 * from a chain of dependent ADDs (one a cycle), then twelve independent
 * one-cycle XOR chains (a core with W integer ALUs retires min(W, 12) a
 * cycle), both in the thread's CPU time. Not part of the build:
 *   gcc -O2 tests/bench/alu-peak.c -o /tmp/alu-peak && taskset -c 1 /tmp/alu-peak */
#include <stdio.h>
#include <time.h>

static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void)
{
	const long n = 300000000;
	unsigned long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i9 = 9, j = 10, k = 11, l = 12;

	double t0 = cpu_seconds();
	for (long i = 0; i < n; i++)
		__asm__ volatile("add %0,%0\n\tadd %0,%0\n\tadd %0,%0\n\tadd %0,%0\n\t"
				 "add %0,%0\n\tadd %0,%0\n\tadd %0,%0\n\tadd %0,%0"
				 : "+r"(a));
	double t1 = cpu_seconds();
	double hz = 8.0 * n / (t1 - t0);

	for (long i = 0; i < n; i++)
		__asm__ volatile("xor $1,%0\n\txor $1,%1\n\txor $1,%2\n\txor $1,%3\n\t"
				 "xor $1,%4\n\txor $1,%5\n\txor $1,%6\n\txor $1,%7\n\t"
				 "xor $1,%8\n\txor $1,%9\n\txor $1,%10\n\txor $1,%11"
				 : "+r"(a), "+r"(b), "+r"(c), "+r"(d), "+r"(e), "+r"(f),
				   "+r"(g), "+r"(h), "+r"(i9), "+r"(j), "+r"(k), "+r"(l));
	double t2 = cpu_seconds();

	printf("clock %.2f GHz; peak %.2f ALU ops/cycle\n", hz / 1e9, 12.0 * n / ((t2 - t1) * hz));
	return 0;
}
