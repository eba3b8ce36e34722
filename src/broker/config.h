/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_CONFIG_H
#define CVMM_BROKER_CONFIG_H

/*
 * `cvmm-broker serve` options, from the command line and/or --config FILE.
 * The file has one option per line, "name = value" (or "name value", or a
 * bare "name" for flags), names as the long options without "--"; a '#' at
 * the start of a line or after a space or tab starts a comment, a '#' inside
 * a value is part of it ("store = postgresql://u:ab#cd@h/db").
 * Command-line options override the file.
 *
 * Messages name an option, a file's line or an argument's position, never
 * a value: a mistyped or misplaced store URI carries its password.
 */
#include <stdbool.h>
#include <stddef.h>

struct serve_config {
	char *listen, *tls_cert, *tls_key, *store, *kek, *admin_key;
	char *test_roots, *certs, *token_key, *kds_url, *replica_name;
	bool insecure_http, allow_rsa1_5;
	unsigned threads, timeout_s, max_conns, grace_ms, session_ttl_s;
	size_t max_body, max_sessions;
};

/* Parse argv (after "serve"); 0, 1 for --help, -EINVAL (message printed). */
int config_parse_args(int argc, char **argv, struct serve_config *c);
/* Free the strings, wiped first (the store URI may hold a password). */
void config_free(struct serve_config *c);

/*
 * How a message names command-line argument @i (@arg) without its value:
 * "--name" for "--name" or "--name=value" when the name looks like an
 * option's (a letter, then letters, digits, '-', '_'; at most 32: returns
 * true), else "argument @i" (false).  For every broker command's option
 * errors.
 */
bool config_arg_what(const char *arg, int i, char *buf, size_t size);

#endif
