/* kernel-test=...: faults and mutations on purpose, so the tests can show
 * that each ends the way it must (tests/qemu/negative.sh, exceptions-*.sh,
 * smp.sh, kernel-suites.sh). */
#ifndef MC_KERNEL_FAULTS_H
#define MC_KERNEL_FAULTS_H

/* Runs the named test before the suites; returns if the test lets the run
 * go on (an AP's fault, a mutation), else ends it through the exception. */
void kernel_test_run(const char *what);

#endif
