/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_CONSOLE_INTERNAL_H
#define CVMM_MACHINE_CONSOLE_INTERNAL_H

/* Shared by console.c (stdio, file, input) and console_host.c (socket, pty). */
#include "machine/console.h"

int console_poll_add(struct console *c, int fd);
/* The 1 ms retry timer on or off. */
void console_arm_retry(struct console *c, bool on);
/* Read input from @fd into the (empty) pending buffer; Ctrl-A escapes if @escapes. */
void console_read_input(struct console *c, int fd, bool escapes, enum console_action *action);
/* Stop reading in_fd while input waits for the guest; resume when it took it. */
void console_input_paused(struct console *c, bool paused);
/* in_fd reached its end (stdin) or hung up (a socket client). */
void console_input_closed(struct console *c, int fd);

int console_socket_open(struct console *c, const char *path);
int console_pty_open(struct console *c);
/* A descriptor of console_host.c is ready: the listener, the output relay. */
void console_host_event(struct console *c, int fd, uint32_t events, enum console_action *action);

#endif
