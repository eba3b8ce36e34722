/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_PEM_H
#define CVMM_BROKER_PEM_H

/*
 * PEM key files of cvmm-broker (--token-key, --admin-key on both sides):
 * read whole with util/file.c, parsed from memory, and for a private key
 * the file's bytes are wiped before they are freed.
 */
#include <stdbool.h>

#include <openssl/evp.h>

#include "util/err.h"

#define PEM_KEY_FILE_MAX	(1u << 20)

/*
 * A private key (@private) or a public key ("PUBLIC KEY") from the PEM
 * file @path.  Returns 0 with *@key set (EVP_PKEY_free() it), -errno when
 * the file cannot be read (@why: strerror), or -EINVAL when it holds no
 * such key (@why: "not a PEM private key" / "not a PEM public key").
 */
int pem_key_load(const char *path, bool private, EVP_PKEY **key, struct err_msg *why);

#endif
