/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Capture what a call prints on stderr (the one-line "cvmm: what: why"
 * messages) so tests can assert it exactly.
 *
 *	capture_start(&c);
 *	ret = something();
 *	capture_stop(&c);
 *	assert_string_equal(c.text, "cvmm: --cpu: ...\n");
 */
#ifndef CVMM_TESTS_UNIT_STDERR_CAPTURE_H
#define CVMM_TESTS_UNIT_STDERR_CAPTURE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct capture {
	int saved_fd;
	FILE *tmp;
	char text[4096];
};

static inline void capture_start(struct capture *c)
{
	fflush(stderr);
	c->text[0] = 0;
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved_fd = dup(STDERR_FILENO);
	assert_true(c->saved_fd >= 0);
	assert_true(dup2(fileno(c->tmp), STDERR_FILENO) >= 0);
}

static inline const char *capture_stop(struct capture *c)
{
	size_t n;

	fflush(stderr);
	assert_true(dup2(c->saved_fd, STDERR_FILENO) >= 0);
	close(c->saved_fd);
	rewind(c->tmp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->tmp);
	c->text[n] = 0;
	fclose(c->tmp);
	return c->text;
}

#endif
