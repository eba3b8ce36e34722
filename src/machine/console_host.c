// SPDX-License-Identifier: GPL-2.0-only
/*
 * --console socket,path=P and --console pty (see console.h): the devices
 * write into a socketpair, relayed here to the attached client or the
 * pseudo-terminal; the client's or terminal's input goes to the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "machine/console_internal.h"
#include "util/log.h"

static const char busy_msg[] =
	"cvmm: console: another client is attached (one at a time): try again when it "
	"detaches\r\n";

/* The devices' end of a socketpair becomes out_fd; ours is relay_fd. */
static int open_relay(struct console *c)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
		return log_errno("--console", -errno);
	c->out_fd = sv[0];
	c->owns_out = true;
	c->relay_fd = sv[1];
	return console_poll_add(c, c->relay_fd);
}

/* Bind @path; a stale socket nobody listens on is replaced, anything else refused. */
static int bind_path(int fd, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int probe, ret;

	if (strlen(path) >= sizeof(a.sun_path)) {
		log_err(path, "the console socket path is longer than %zu bytes",
			sizeof(a.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	if (!bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return 0;
	ret = -errno;
	if (ret != -EADDRINUSE || lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
		log_err(path, "cannot create the console socket: %s", ret == -EADDRINUSE ?
			"the file exists and is not a socket" : strerror(-ret));
		return ret;
	}
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 && !connect(probe, (struct sockaddr *)&a, sizeof(a))) {
		close(probe);
		log_err(path, "the console socket is in use by another process");
		return -EADDRINUSE;
	}
	if (probe >= 0)
		close(probe);
	unlink(path);		/* left behind by a process that is gone */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		ret = -errno;
		log_err(path, "cannot create the console socket: %s", strerror(errno));
		return ret;
	}
	return 0;
}

int console_socket_open(struct console *c, const char *path)
{
	int ret;

	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->listen_fd < 0)
		return log_errno("--console", -errno);
	ret = bind_path(c->listen_fd, path);
	if (ret)
		return ret;
	c->sock_path = strdup(path);
	c->backlog = malloc(CONSOLE_BACKLOG);
	if (!c->sock_path || !c->backlog)
		return -ENOMEM;
	if (listen(c->listen_fd, 4) < 0)
		return log_errno(path, -errno);
	ret = console_poll_add(c, c->listen_fd);
	if (!ret)
		ret = open_relay(c);
	if (!ret)
		log_info("console: %s (connect with e.g. socat -,raw,echo=0 UNIX-CONNECT:%s)",
			 path, path);
	return ret;
}

int console_pty_open(struct console *c)
{
	struct termios t;
	const char *name;
	int ret;

	c->client_fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (c->client_fd < 0 || grantpt(c->client_fd) || unlockpt(c->client_fd) ||
	    !(name = ptsname(c->client_fd)))
		return log_errno("--console", errno ? -errno : -ENODEV);
	/* held open by us: the master never hangs up while nobody has the terminal */
	c->pty_slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (c->pty_slave < 0 || tcgetattr(c->pty_slave, &t))
		return log_errno(name, -errno);
	cfmakeraw(&t);
	if (tcsetattr(c->pty_slave, TCSANOW, &t) ||
	    fcntl(c->client_fd, F_SETFL, O_NONBLOCK | O_RDWR) < 0)
		return log_errno(name, -errno);
	if (log_level >= LOG_NORMAL)
		fprintf(stderr, "cvmm: console: %s\n", name);
	c->in_fd = c->client_fd;
	c->in_polled = true;
	ret = console_poll_add(c, c->in_fd);
	return ret ? ret : open_relay(c);
}

void console_input_paused(struct console *c, bool paused)
{
	bool file_input = c->in_fd >= 0 && !c->in_polled && !c->in_eof;

	if (paused != c->paused && c->in_fd >= 0 && c->in_polled && !c->in_eof) {
		if (paused)
			epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->in_fd, NULL);
		else
			console_poll_add(c, c->in_fd);
	}
	if (paused != c->paused)
		console_arm_retry(c, paused || file_input);
	c->paused = paused;
}

void console_input_closed(struct console *c, int fd)
{
	if (c->in_polled && !c->paused)
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, fd, NULL);
	if (c->kind == CONSOLE_SOCKET && fd == c->client_fd) {
		log_info("console: the client detached");
		close(c->client_fd);
		c->client_fd = c->in_fd = -1;
		return;
	}
	c->in_eof = true;	/* stdin's end: the guest just gets no more input */
	if (!c->paused)
		console_arm_retry(c, false);
}

/* What the guest wrote before the client came, oldest first (as much as fits). */
static void send_backlog(struct console *c)
{
	size_t start = (c->backlog_head + CONSOLE_BACKLOG - c->backlog_len) % CONSOLE_BACKLOG;
	size_t first = c->backlog_len < CONSOLE_BACKLOG - start ? c->backlog_len :
		       CONSOLE_BACKLOG - start;

	if (!c->backlog_len || write(c->client_fd, c->backlog + start, first) != (ssize_t)first)
		return;
	if (c->backlog_len > first && write(c->client_fd, c->backlog, c->backlog_len - first) < 0)
		log_debug("console: backlog: %s", strerror(errno));
}

static void backlog_add(struct console *c, const uint8_t *d, size_t n)
{
	size_t i;

	if (!c->backlog)
		return;
	for (i = 0; i < n; i++) {
		c->backlog[c->backlog_head] = d[i];
		c->backlog_head = (c->backlog_head + 1) % CONSOLE_BACKLOG;
	}
	c->backlog_len = c->backlog_len + n > CONSOLE_BACKLOG ? CONSOLE_BACKLOG :
			 c->backlog_len + n;
}

static void accept_client(struct console *c)
{
	int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (c->client_fd >= 0) {
		if (write(fd, busy_msg, sizeof(busy_msg) - 1) < 0)
			log_debug("console: refusing a second client: %s", strerror(errno));
		log_info("console: refused a second client (one is attached)");
		close(fd);
		return;
	}
	c->client_fd = c->in_fd = fd;
	c->in_polled = true;
	if (!c->paused)
		console_poll_add(c, fd);
	log_info("console: a client attached");
	send_backlog(c);
}

/* Device output to the client or the terminal; dropped while nobody takes it. */
static void relay_output(struct console *c)
{
	uint8_t buf[4096];
	ssize_t n = read(c->relay_fd, buf, sizeof(buf));

	if (n <= 0)
		return;
	backlog_add(c, buf, (size_t)n);
	if (c->client_fd < 0)
		return;
	if (write(c->client_fd, buf, (size_t)n) < 0 && errno == EPIPE &&
	    c->kind == CONSOLE_SOCKET)
		console_input_closed(c, c->client_fd);
}

void console_host_event(struct console *c, int fd, uint32_t events, enum console_action *action)
{
	if (fd == c->listen_fd)
		accept_client(c);
	else if (fd == c->relay_fd)
		relay_output(c);
}
