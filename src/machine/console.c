// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "machine/console.h"
#include "util/log.h"

#define CTRL_A	0x01

int console_open(struct console *c, const struct console_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->out_fd = -1;
	c->in_fd = -1;
	switch (cfg->kind) {
	case CONSOLE_NONE:
		return 0;
	case CONSOLE_SOCKET:
	case CONSOLE_PTY:
		log_err("--console", "not supported yet");
		return -EINVAL;
	case CONSOLE_FILE:
		c->out_fd = open(cfg->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (c->out_fd < 0) {
			int err = -errno;

			log_err(cfg->path, "cannot open console file: %s", strerror(errno));
			return err;
		}
		c->owns_out = true;
		return 0;
	case CONSOLE_VIRTIO:
		c->virtio = true;
		/* the virtio-console uses stdio */
		/* fall through */
	case CONSOLE_STDIO:
		c->out_fd = STDOUT_FILENO;
		if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &c->saved) == 0) {
			struct termios raw = c->saved;

			cfmakeraw(&raw);
			/* keep output post-processing so guest "\n" stays "\n" */
			raw.c_oflag = c->saved.c_oflag;
			if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
				c->raw = true;
				c->in_fd = STDIN_FILENO;
			}
		}
		return 0;
	}
	return 0;
}

void console_close(struct console *c)
{
	if (c->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
	if (c->owns_out && c->out_fd >= 0)
		close(c->out_fd);
	c->raw = false;
	c->out_fd = -1;
	c->in_fd = -1;
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
			if (ch == CTRL_A)
				out[n++] = CTRL_A;
			continue;	/* unknown escape: dropped */
		}
		if (ch == CTRL_A) {
			c->escape = true;
			continue;
		}
		out[n++] = ch;
	}
	return n;
}
