/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_AGENT_HELPERS_H
#define CVMM_TESTS_AGENT_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* $CVMM_TEST_DATA/<rel> (tests/data); fails the test when missing. */
uint8_t *td_read(const char *rel, size_t *len);

/* A fresh directory under $TMPDIR, removed at exit. */
const char *td_tmpdir(void);

#endif
