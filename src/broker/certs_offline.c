// SPDX-License-Identifier: GPL-2.0-only
/* Offline certificate and collateral directory (see certs_offline.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/certs.h"
#include "broker/certs_offline.h"
#include "util/file.h"
#include "util/num.h"

static int load_certs(const char *path, STACK_OF(X509) *certs)
{
	STACK_OF(X509) *sk = NULL;
	uint8_t *buf;
	size_t len;
	int ret = file_read(path, OFFLINE_MAX_FILE, &buf, &len);

	if (ret)
		return ret;
	ret = certs_parse(buf, len, &sk);
	free(buf);
	if (!ret)
		ret = certs_append(certs, sk);
	sk_X509_pop_free(sk, X509_free);
	return ret;
}

static int try_product(const char *dir, const struct snp_report *r,
		       enum snp_product p, STACK_OF(X509) *certs)
{
	const char *name = snp_product_name(p);
	char hwid[129], path[4096];
	struct snp_tcb t;
	int ret;

	hex_encode(r->chip_id, p == SNP_PRODUCT_TURIN ? 8 : 64, hwid);
	snp_tcb_decode(r->reported_tcb, p, &t);
	if (p == SNP_PRODUCT_TURIN)
		snprintf(path, sizeof(path),
			 "%s/vcek/v1/%s/%s?fmcSPL=%u&blSPL=%u&teeSPL=%u&snpSPL=%u&ucodeSPL=%u",
			 dir, name, hwid, t.fmc, t.bootloader, t.tee, t.snp, t.microcode);
	else
		snprintf(path, sizeof(path),
			 "%s/vcek/v1/%s/%s?blSPL=%u&teeSPL=%u&snpSPL=%u&ucodeSPL=%u",
			 dir, name, hwid, t.bootloader, t.tee, t.snp, t.microcode);
	ret = load_certs(path, certs);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/vcek/v1/%s/cert_chain", dir, name);
	load_certs(path, certs);
	return 0;
}

int certs_offline_snp(const char *dir, const uint8_t report[SNP_REPORT_SIZE],
		      STACK_OF(X509) *certs)
{
	struct snp_report *r = malloc(sizeof(*r));
	enum snp_product p;
	int ret = -ENOENT;

	if (!r)
		return -ENOMEM;
	if (snp_report_parse(report, SNP_REPORT_SIZE, r))
		goto out;
	p = snp_report_product(r);
	if (p != SNP_PRODUCT_UNKNOWN) {
		ret = try_product(dir, r, p, certs);
		goto out;
	}
	for (p = SNP_PRODUCT_MILAN; p < SNP_PRODUCT_COUNT && ret; p++)
		ret = try_product(dir, r, p, certs);
out:
	free(r);
	return ret;
}

static int read_text(const char *path, char **text, size_t *len)
{
	uint8_t *buf;
	int ret = file_read(path, OFFLINE_MAX_FILE, &buf, len);

	*text = ret ? NULL : (char *)buf;
	return ret;
}

int certs_offline_tdx(const char *dir, const char *fmspc,
		      struct tdx_collateral_files *out)
{
	char path[4096], lower[13];
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 12 && fmspc[i]; i++)
		lower[i] = (char)tolower((unsigned char)fmspc[i]);
	lower[i] = 0;
	if (i != 12)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/tdx/%s/tcb_info.json", dir, lower);
	ret = read_text(path, &out->tcb_info, &out->tcb_info_len);
	snprintf(path, sizeof(path), "%s/tdx/qe_identity.json", dir);
	if (!ret)
		ret = read_text(path, &out->qe_identity, &out->qe_identity_len);
	out->tcb_chain = sk_X509_new_null();
	if (!ret && !out->tcb_chain)
		ret = -ENOMEM;
	snprintf(path, sizeof(path), "%s/tdx/tcb_chain.pem", dir);
	if (!ret)
		ret = load_certs(path, out->tcb_chain);
	if (ret)
		tdx_collateral_files_free(out);
	return ret;
}

void tdx_collateral_files_free(struct tdx_collateral_files *c)
{
	free(c->tcb_info);
	free(c->qe_identity);
	sk_X509_pop_free(c->tcb_chain, X509_free);
	memset(c, 0, sizeof(*c));
}
