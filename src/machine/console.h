/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_CONSOLE_H
#define CVMM_MACHINE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "machine/config.h"

/*
 * The host side of the guest console.  Output goes to stdout or a file;
 * input comes from stdin when it is a terminal, which is then put in raw
 * mode (restored on exit).  Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A.
 */
struct console {
	int out_fd;		/* -1: discard */
	int in_fd;		/* -1: no input */
	bool owns_out;
	bool raw;
	bool virtio;		/* stdio belongs to the virtio-console, not COM1 */
	struct termios saved;
	bool escape;		/* saw Ctrl-A */
};

int console_open(struct console *c, const struct console_config *cfg);
void console_close(struct console *c);

enum console_action { CONSOLE_NONE_ACTION, CONSOLE_QUIT };
/*
 * Filter input bytes read from in_fd: returns bytes for the guest in
 * @out (at most @len) and sets *action to CONSOLE_QUIT on Ctrl-A x.
 */
size_t console_filter(struct console *c, const uint8_t *in, size_t len,
		      uint8_t *out, enum console_action *action);

#endif
