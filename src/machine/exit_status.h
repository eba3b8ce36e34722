/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_EXIT_STATUS_H
#define CVMM_MACHINE_EXIT_STATUS_H

/*
 * Exit status of `cvmm boot` (documented in the README).
 *   0        the guest powered off (ACPI S5 or KVM system event)
 *   1        cvmm could not set up or run the VM (bad options or files,
 *            no KVM, not enough memory for the images, ...)
 *   32       the guest reset and --no-reboot was given
 *   33       the guest triple-faulted (KVM_EXIT_SHUTDOWN)
 *   34       KVM could not run the guest: internal error, emulation
 *            failure, failed entry or an exit cvmm cannot handle
 *   35       the guest reported a fatal error (crash event, SEV
 *            termination request, TDX ReportFatalError)
 *   128 + N  stopped by signal N (130 for SIGINT/Ctrl-A x, 143 for SIGTERM)
 *   36       with --ucall: the test guest reported success (GUEST_DONE());
 *            a failed GUEST_ASSERT() is 35 with its file:line
 *   odd      with --debug-exit: (V << 1) | 1 for a guest write of V
 */
#define EXIT_POWEROFF		0
#define EXIT_ERROR		1
#define EXIT_RESET		32
#define EXIT_TRIPLE_FAULT	33
#define EXIT_KVM_ERROR		34
#define EXIT_GUEST_FATAL	35
#define EXIT_TEST_PASSED	36
#define EXIT_SIGNAL_BASE	128

#endif
