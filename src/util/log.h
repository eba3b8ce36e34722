/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_LOG_H
#define CVMM_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

/*
 * Every user-visible error is one line: "cvmm: <what>: <why>".
 * Warnings add "warning: "; info and debug lines only print when the
 * verbosity asks for them.  All go to stderr so stdout stays clean for
 * machine-readable output (measure, verify).
 */
extern int log_level;

enum {
	LOG_QUIET = 0,
	LOG_NORMAL = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

void log_err(const char *what, const char *fmt, ...) __printf(2, 3);
void log_warn(const char *what, const char *fmt, ...) __printf(2, 3);
void log_info(const char *fmt, ...) __printf(1, 2);
void log_debug(const char *fmt, ...) __printf(1, 2);

/* Convenience: "cvmm: <what>: <strerror(-err)>"; returns err. */
int log_errno(const char *what, int err);

/*
 * Usage errors.  While a command reads its arguments (between
 * log_usage_begin() and log_usage_end()), errors and warnings say which
 * command refused what: "cvmm <cmd>: <option as typed>: <why>".
 * log_usage_typed() names the option being applied: a line whose <what>
 * is its canonical spelling (@canonical, e.g. "--memory") shows it as the
 * user typed it (@typed, e.g. "-m").  Single-threaded, like argument
 * parsing.
 */
void log_usage_begin(const char *cmd);
void log_usage_typed(const char *canonical, const char *typed);
void log_usage_end(void);

/*
 * Also keep the first error line this thread prints from now on ("<what>:
 * <why>", without "cvmm: ") in @buf, e.g. to answer an API request with
 * it; @quiet: do not print errors meanwhile (a client's mistake is the
 * client's to see).  log_capture_end() stops; captures do not nest.
 */
void log_capture_begin(char *buf, size_t len, bool quiet);
void log_capture_end(void);

#endif
