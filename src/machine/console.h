/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_CONSOLE_H
#define CVMM_MACHINE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "machine/config.h"

/*
 * The host side of the guest console (--console), as QEMU, Firecracker
 * and Cloud Hypervisor have it:
 *
 *   stdio   output to stdout; input from stdin: a terminal is put in raw
 *           mode (restored on exit) and has the Ctrl-A escapes (x quits,
 *           h lists them, Ctrl-A sends Ctrl-A); a pipe or a file reaches
 *           the guest as it is
 *   file    output to a file, no input
 *   socket  a UNIX stream socket at path: one client at a time gets the
 *           output (first the last 16 KiB from before it attached) and
 *           sends the input; a second one is told why and closed; the
 *           socket file is removed at exit
 *   pty     a pseudo-terminal, its name printed ("cvmm: console: ..."),
 *           for screen or minicom
 *   none    nothing
 *
 * Devices write their output to out_fd (for socket and pty the device
 * end of a socketpair the console relays from, so a client that comes and
 * goes never blocks or closes the device's descriptor).  Input is read
 * only as fast as the guest takes it: what the device does not accept
 * (its receive FIFO is full) waits in the console, which stops reading
 * and retries every millisecond, so a paste longer than the FIFO loses
 * nothing.  The machine waits on one descriptor, console_poll_fd(), and
 * calls console_dispatch() when it is readable.
 */
#define CONSOLE_PENDING	4096
#define CONSOLE_BACKLOG	16384	/* socket: recent output a client sees when it attaches */

/* Where input goes: returns how many bytes the device accepted. */
typedef size_t (*console_input_fn)(void *opaque, const uint8_t *buf, size_t len);

struct console {
	bool open;		/* console_open() ran: console_close() has work */
	int out_fd;		/* devices write here; -1: discard */
	int in_fd;		/* -1: no input */
	bool owns_out;
	bool raw;		/* stdin is a terminal in raw mode */
	bool escapes;		/* Ctrl-A escapes apply to the input (a terminal) */
	bool virtio;		/* stdio belongs to the virtio-console, not COM1 */
	struct termios saved;
	bool escape;		/* saw Ctrl-A */

	enum console_kind kind;
	int epfd;		/* what console_poll_fd() returns; -1: nothing to wait on */
	int timer_fd;		/* retries pending input; reads a regular file */
	bool in_polled;		/* in_fd can be in epfd (not a regular file) */
	bool in_eof;
	bool paused;		/* pending input waits for the guest: in_fd is out of epfd */
	int relay_fd;		/* socket/pty: the console's end of out_fd's socketpair */
	int listen_fd;		/* socket: the listener */
	int client_fd;		/* socket: the attached client; pty: the master */
	int pty_slave;		/* held open so the master never hangs up */
	char *sock_path;	/* socket: removed at close */
	uint8_t pending[CONSOLE_PENDING];
	size_t pending_off, pending_len;
	uint8_t *backlog;	/* socket: a ring of the last CONSOLE_BACKLOG bytes */
	size_t backlog_head, backlog_len;
};

int console_open(struct console *c, const struct console_config *cfg);
void console_close(struct console *c);

/* The descriptor to wait on for readability, or -1. */
int console_poll_fd(const struct console *c);

enum console_action { CONSOLE_NONE_ACTION, CONSOLE_QUIT, CONSOLE_HELP };
/*
 * Input, clients, output relay and retries: everything ready now.  Input
 * goes to @input(@opaque, ...) (NULL: dropped).  *action is CONSOLE_QUIT
 * after Ctrl-A x.
 */
void console_dispatch(struct console *c, console_input_fn input, void *opaque,
		      enum console_action *action);

/*
 * Filter input bytes read from a terminal: returns bytes for the guest in
 * @out (at most @len) and sets *action to CONSOLE_QUIT on Ctrl-A x (the
 * rest is not read) or CONSOLE_HELP on Ctrl-A h.
 */
size_t console_filter(struct console *c, const uint8_t *in, size_t len,
		      uint8_t *out, enum console_action *action);

/* The escape keys, as Ctrl-A h prints them (with \r\n: the terminal is raw). */
extern const char console_escape_help[];

#endif
