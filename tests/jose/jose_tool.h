/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_JOSE_TOOL_H
#define CVMM_TESTS_JOSE_TOOL_H

/* Shared by jose_tool.c and jose_tool_misc.c (a test tool, see there). */
#include <stddef.h>

#include <jansson.h>
#include <openssl/evp.h>

int tool_fail(const char *what, const char *why);
char *tool_read(const char *path, size_t *len);
json_t *tool_json(const char *path);
EVP_PKEY *tool_priv(const char *path);
EVP_PKEY *tool_pub(const char *path);

int tool_cmd_jcs(int argc, char **argv);
int tool_cmd_jcs_sha384(int argc, char **argv);
int tool_cmd_thumbprint(int argc, char **argv);
int tool_cmd_numbers(int argc, char **argv);
int tool_cmd_bench(int argc, char **argv);

#endif
