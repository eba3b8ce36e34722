// SPDX-License-Identifier: GPL-2.0-only
/* The test guests' ucall (see ucall.h). */
#include "guest.h"
#include "ucall.h"

static volatile int ucall_lock;
static char *buf_pos, *buf_end;

static void buf_putc(char c)
{
	if (buf_pos < buf_end)
		*buf_pos++ = c;
}

/* The path from "guests/" on (the build passes ../guests/tests/smp.c or longer). */
static const char *source_name(const char *file)
{
	const char *p = strstr(file, "guests/");

	return p ? p : file;
}

void ucall(uint32_t cmd, const char *file, unsigned int line, const char *fmt, ...)
{
	struct ucall uc;
	va_list ap;

	memset(&uc, 0, sizeof(uc));
	uc.magic = UCALL_MAGIC;
	uc.cmd = cmd;
	uc.line = line;
	file = source_name(file);
	memcpy(uc.file, file, strnlen(file, sizeof(uc.file) - 1));
	/* one vCPU formats at a time (the buffer pointers are shared) */
	while (__atomic_exchange_n(&ucall_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	buf_pos = uc.msg;
	buf_end = uc.msg + sizeof(uc.msg) - 1;
	va_start(ap, fmt);
	format_vprintf(buf_putc, fmt, ap);
	va_end(ap);
	__atomic_store_n(&ucall_lock, 0, __ATOMIC_RELEASE);
	if (cmd == UCALL_DONE)
		printf("ucall: PASS at %s:%u\n", uc.file, line);
	else
		printf("ucall: FAIL at %s:%u: %s\n", uc.file, line, uc.msg);
	/* cvmm --ucall: identity-mapped below 4 GiB, the stack address is the GPA */
	outl(UCALL_PORT, (uint32_t)(uintptr_t)&uc);
	/* elsewhere (QEMU's isa-debug-exit, cvmm --debug-exit), as the guests always did */
	if (cmd == UCALL_DONE) {
		outb(DEBUG_EXIT_PORT, GUEST_PASS);
		acpi_poweroff();	/* and with neither: powered off, status 0 */
	}
	guest_exit(GUEST_FAIL);
}
