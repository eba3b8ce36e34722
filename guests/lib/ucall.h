/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A test guest's verdict, in the style of the KVM selftests' ucall: the
 * expectations of a guest test live here, in its source.
 *
 *   GUEST_ASSERT(cond)                   fails with the expression
 *   GUEST_ASSERT_EQ(a, b)                fails with both values
 *   GUEST_ASSERT_MSG(cond, fmt, ...)     fails with a message
 *   GUEST_DONE()                         the test passed
 *
 * Each prints the verdict on COM1 ("ucall: PASS at FILE:LINE", "ucall:
 * FAIL at FILE:LINE: WHAT"), fills a struct ucall (the layout of cvmm's
 * src/devices/ucall.h) on the stack and writes its address to port
 * UCALL_PORT: cvmm, run with --ucall, ends with status 36 for GUEST_DONE()
 * and with 35 and one line "cvmm: guest assertion failed at
 * guests/tests/smp.c:37: <what>" for a failure.  Where no one listens
 * there (QEMU, cvmm without --ucall) the guest goes on to the debug-exit
 * port, GUEST_PASS or GUEST_FAIL, and after a pass to ACPI power-off.
 * Neither returns.  Any vCPU may call them.
 */
#ifndef GUEST_UCALL_H
#define GUEST_UCALL_H

#include <stdint.h>

#define UCALL_PORT	0x1000
#define UCALL_MAGIC	0x4c414355u
#define UCALL_DONE	1
#define UCALL_ASSERT	2

struct ucall {
	uint32_t magic;
	uint32_t cmd;
	uint32_t line;
	uint32_t reserved;
	char file[64];
	char msg[176];
};

void __attribute__((noreturn, format(printf, 4, 5)))
ucall(uint32_t cmd, const char *file, unsigned int line, const char *fmt, ...);

#define GUEST_DONE()	ucall(UCALL_DONE, __FILE__, __LINE__, "done")

#define GUEST_ASSERT_MSG(cond, fmt, ...) do {					\
	if (!(cond))								\
		ucall(UCALL_ASSERT, __FILE__, __LINE__, "%s: " fmt, #cond,	\
		      ##__VA_ARGS__);						\
} while (0)

#define GUEST_ASSERT(cond) do {						\
	if (!(cond))								\
		ucall(UCALL_ASSERT, __FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define GUEST_ASSERT_EQ(a, b) do {						\
	unsigned long long __a = (unsigned long long)(a);			\
	unsigned long long __b = (unsigned long long)(b);			\
	if (__a != __b)								\
		ucall(UCALL_ASSERT, __FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx", \
		      #a, #b, __a, __b);					\
} while (0)

#endif
