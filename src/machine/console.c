// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host console (see console.h): stdio and file here, the socket and
 * the pseudo-terminal in console_host.c; input that waits for the guest,
 * the Ctrl-A escapes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "machine/console.h"
#include "machine/console_internal.h"
#include "util/log.h"

#define CTRL_A		0x01
#define RETRY_NS	1000000		/* input the guest did not take yet: every 1 ms */

const char console_escape_help[] =
	"\r\ncvmm console escapes (Ctrl-A, then):\r\n"
	"  x       quit cvmm (exit status 130)\r\n"
	"  h or ?  this help\r\n"
	"  Ctrl-A  send Ctrl-A to the guest\r\n";

int console_poll_add(struct console *c, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* Standard input as the console's input: a terminal (raw, escapes), a pipe or a file. */
static int open_stdin(struct console *c)
{
	struct stat st;
	int ret;

	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &c->saved) == 0) {
		struct termios raw = c->saved;

		cfmakeraw(&raw);
		/* keep output post-processing so guest "\n" stays "\n" */
		raw.c_oflag = c->saved.c_oflag;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
			c->raw = true;
			c->escapes = true;
			c->in_fd = STDIN_FILENO;
		}
	} else if (!fstat(STDIN_FILENO, &st) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
						 S_ISREG(st.st_mode))) {
		c->in_fd = STDIN_FILENO;	/* piped input reaches the guest as it is */
	}
	if (c->in_fd < 0)
		return 0;
	ret = console_poll_add(c, c->in_fd);
	if (ret == -EPERM) {		/* a regular file: read it on the timer */
		console_arm_retry(c, true);
		return 0;
	}
	c->in_polled = !ret;
	return ret;
}

void console_arm_retry(struct console *c, bool on)
{
	struct itimerspec t = { 0 };

	if (on) {
		t.it_value.tv_nsec = RETRY_NS;
		t.it_interval.tv_nsec = RETRY_NS;
	}
	timerfd_settime(c->timer_fd, 0, &t, NULL);
}

static int console_init(struct console *c, const struct console_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->open = true;
	c->out_fd = c->in_fd = c->relay_fd = c->listen_fd = c->client_fd = c->pty_slave = -1;
	c->kind = cfg->kind;
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->epfd < 0 || c->timer_fd < 0 || console_poll_add(c, c->timer_fd))
		return log_errno("--console", -errno);
	return 0;
}

int console_open(struct console *c, const struct console_config *cfg)
{
	int ret = console_init(c, cfg);

	if (ret)
		goto fail;
	switch (cfg->kind) {
	case CONSOLE_NONE:
		return 0;
	case CONSOLE_FILE:
		c->out_fd = open(cfg->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (c->out_fd < 0) {
			ret = -errno;
			log_err(cfg->path, "cannot open console file: %s", strerror(errno));
			goto fail;
		}
		c->owns_out = true;
		return 0;
	case CONSOLE_SOCKET:
		ret = console_socket_open(c, cfg->path);
		break;
	case CONSOLE_PTY:
		ret = console_pty_open(c);
		break;
	case CONSOLE_VIRTIO:
		c->virtio = true;
		/* the virtio-console uses stdio */
		/* fall through */
	case CONSOLE_STDIO:
		c->out_fd = STDOUT_FILENO;
		ret = open_stdin(c);
		break;
	}
	if (!ret)
		return 0;
fail:
	console_close(c);
	return ret;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void console_close(struct console *c)
{
	if (!c->open)		/* never opened (a zeroed struct): nothing is ours */
		return;
	c->open = false;
	if (c->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
	if (c->owns_out)
		close_fd(&c->out_fd);
	close_fd(&c->relay_fd);
	close_fd(&c->client_fd);
	close_fd(&c->listen_fd);
	close_fd(&c->pty_slave);
	close_fd(&c->timer_fd);
	close_fd(&c->epfd);
	if (c->sock_path) {
		unlink(c->sock_path);
		free(c->sock_path);
		c->sock_path = NULL;
	}
	free(c->backlog);
	c->backlog = NULL;
	c->raw = false;
	c->owns_out = false;
	c->out_fd = -1;
	c->in_fd = -1;
}

int console_poll_fd(const struct console *c)
{
	return c->open ? c->epfd : -1;
}

size_t console_filter(struct console *c, const uint8_t *in, size_t len,
		      uint8_t *out, enum console_action *action)
{
	size_t i, n = 0;

	*action = CONSOLE_NONE_ACTION;
	for (i = 0; i < len; i++) {
		uint8_t ch = in[i];

		if (c->escape) {
			c->escape = false;
			if (ch == 'x' || ch == 'X') {
				*action = CONSOLE_QUIT;
				return n;
			}
			if (ch == 'h' || ch == 'H' || ch == '?')
				*action = CONSOLE_HELP;
			if (ch == CTRL_A)
				out[n++] = CTRL_A;
			continue;	/* others: dropped */
		}
		if (ch == CTRL_A) {
			c->escape = true;
			continue;
		}
		out[n++] = ch;
	}
	return n;
}

/* Give the device what waits; stop reading input while it does not take it all. */
static void feed(struct console *c, console_input_fn input, void *opaque)
{
	size_t n;

	if (c->pending_len && input) {
		n = input(opaque, c->pending + c->pending_off, c->pending_len);
		c->pending_off += n;
		c->pending_len -= n;
	} else if (!input) {
		c->pending_len = 0;	/* no device takes input: dropped */
	}
	if (!c->pending_len)
		c->pending_off = 0;
	console_input_paused(c, c->pending_len != 0);
}

/* Read what @fd has for the guest into the pending buffer (empty on entry). */
void console_read_input(struct console *c, int fd, bool escapes, enum console_action *action)
{
	uint8_t in[CONSOLE_PENDING];
	ssize_t r = read(fd, in, sizeof(in));

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		console_input_closed(c, fd);
		return;
	}
	if (!escapes) {
		memcpy(c->pending, in, (size_t)r);
		c->pending_len = (size_t)r;
		return;
	}
	c->pending_len = console_filter(c, in, (size_t)r, c->pending, action);
	if (*action == CONSOLE_HELP && write(STDERR_FILENO, console_escape_help,
					     sizeof(console_escape_help) - 1) < 0)
		*action = CONSOLE_NONE_ACTION;
}

void console_dispatch(struct console *c, console_input_fn input, void *opaque,
		      enum console_action *action)
{
	struct epoll_event ev[8];
	uint64_t ticks;
	int n, i;

	*action = CONSOLE_NONE_ACTION;
	n = epoll_wait(c->epfd, ev, 8, 0);
	for (i = 0; i < n && *action != CONSOLE_QUIT; i++) {
		int fd = ev[i].data.fd;

		if (fd == c->timer_fd) {
			if (read(c->timer_fd, &ticks, sizeof(ticks)) < 0)
				ticks = 0;
			if (!c->pending_len && c->in_fd >= 0 && !c->in_polled && !c->in_eof)
				console_read_input(c, c->in_fd, false, action);
		} else if (fd == c->in_fd && !c->pending_len) {
			console_read_input(c, fd, c->escapes, action);
		} else {
			console_host_event(c, fd, ev[i].events, action);
		}
	}
	if (*action != CONSOLE_QUIT)
		feed(c, input, opaque);
}
