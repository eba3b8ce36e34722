/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_IGVM_ITEST_H
#define CVMM_TESTS_IGVM_ITEST_H

/* Helpers of the IGVM unit tests (include after cmocka.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ibuild.h"
#include "igvm/igvm.h"

static struct ib B;			/* the file under construction */
static uint8_t *file_buf;		/* the last finished file */
static size_t file_len;

/* Finish B and parse it: returns igvm_parse()'s result. */
static inline int ib_parse(struct igvm_file **f, struct err_msg *err)
{
	free(file_buf);
	file_buf = ib_finish(&B, &file_len);
	return igvm_parse(file_buf, file_len, f, err);
}

/* Parse @buf, which must be refused with a message containing @phrase. */
static inline void expect_refused_buf(const uint8_t *buf, size_t len, const char *phrase)
{
	struct igvm_file *f = (struct igvm_file *)1;
	struct err_msg err = { "" };

	assert_int_equal(igvm_parse(buf, len, &f, &err), -EINVAL);
	assert_null(f);
	if (!strstr(err.msg, phrase))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, phrase);
}

/* Finish B; it must be refused with @phrase. */
static inline void expect_refused(const char *phrase)
{
	free(file_buf);
	file_buf = ib_finish(&B, &file_len);
	expect_refused_buf(file_buf, file_len, phrase);
}

/* Finish B; it must parse.  The caller frees the file. */
static inline struct igvm_file *expect_ok(void)
{
	struct igvm_file *f = NULL;
	struct err_msg err = { "" };
	int ret = ib_parse(&f, &err);

	if (ret)
		fail_msg("refused: %s", err.msg);
	return f;
}

static inline void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline int itest_setup(void **state)
{
	(void)state;
	ib_init(&B);
	return 0;
}

static inline int itest_teardown(void **state)
{
	(void)state;
	free(file_buf);
	file_buf = NULL;
	return 0;
}

#define ITEST(fn)	cmocka_unit_test_setup_teardown(fn, itest_setup, itest_teardown)

#endif
