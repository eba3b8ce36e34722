// SPDX-License-Identifier: GPL-2.0-only
/* VCEKs from AMD KDS with a cache and back-off (see kds.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>

#include "attest/certs.h"
#include "broker/blog.h"
#include "broker/kds.h"
#include "util/err.h"
#include "util/file.h"
#include "util/num.h"

#define KDS_MAX_ANSWER	(64u << 10)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int kds_init(struct kds *k, const char *url, const char *cache_dir)
{
	size_t n;

	memset(k, 0, sizeof(*k));
	pthread_mutex_init(&k->lock, NULL);
	k->url = strdup(url);
	k->cache_dir = cache_dir ? strdup(cache_dir) : NULL;
	if (!k->url || (cache_dir && !k->cache_dir))
		return -ENOMEM;
	n = strlen(k->url);
	while (n && k->url[n - 1] == '/')
		k->url[--n] = 0;
	k->backoff_ms = 1000;
	return curl_global_init(CURL_GLOBAL_DEFAULT) ? -EIO : 0;
}

void kds_free(struct kds *k)
{
	free(k->url);
	free(k->cache_dir);
	pthread_mutex_destroy(&k->lock);
	memset(k, 0, sizeof(*k));
}

void kds_vcek_path(const struct snp_report *r, enum snp_product p, char *out, size_t len)
{
	const char *name = snp_product_name(p);
	struct snp_tcb t;
	char hwid[129];

	hex_encode(r->chip_id, p == SNP_PRODUCT_TURIN ? 8 : 64, hwid);
	snp_tcb_decode(r->reported_tcb, p, &t);
	if (p == SNP_PRODUCT_TURIN)
		snprintf(out, len, "vcek/v1/%s/%s?fmcSPL=%u&blSPL=%u&teeSPL=%u&snpSPL=%u&ucodeSPL=%u",
			 name, hwid, t.fmc, t.bootloader, t.tee, t.snp, t.microcode);
	else
		snprintf(out, len, "vcek/v1/%s/%s?blSPL=%u&teeSPL=%u&snpSPL=%u&ucodeSPL=%u",
			 name, hwid, t.bootloader, t.tee, t.snp, t.microcode);
}

struct answer {
	uint8_t *p;
	size_t len;
	long retry_after;
};

static size_t on_body(char *d, size_t sz, size_t n, void *ctx)
{
	struct answer *a = ctx;
	uint8_t *p;

	if (a->len + sz * n > KDS_MAX_ANSWER)
		return 0;
	p = realloc(a->p, a->len + sz * n + 1);
	if (!p)
		return 0;
	memcpy(p + a->len, d, sz * n);
	a->p = p;
	a->len += sz * n;
	return sz * n;
}

static size_t on_header(char *d, size_t sz, size_t n, void *ctx)
{
	struct answer *a = ctx;
	char buf[64];
	size_t len = sz * n;

	if (len > 12 && len < sizeof(buf) && !strncasecmp(d, "Retry-After:", 12)) {
		memcpy(buf, d + 12, len - 12);
		buf[len - 12] = 0;
		a->retry_after = strtol(buf, NULL, 10);
	}
	return len;
}

static long get(const char *url, struct answer *a, struct err_msg *why)
{
	CURL *c = curl_easy_init();
	long status = 0;
	CURLcode rc;

	if (!c)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)KDS_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		err_set(why, "KDS: %s", curl_easy_strerror(rc));
	else
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? status : -1;
}

/* Write @a into the cache under @path (directories made as needed). */
static void cache_store(const struct kds *k, const char *path, const struct answer *a)
{
	char full[4096], *slash;

	if (!k->cache_dir || snprintf(full, sizeof(full), "%s/%s", k->cache_dir, path) >=
	    (int)sizeof(full))
		return;
	mkdir(k->cache_dir, 0755);
	for (slash = strchr(full + strlen(k->cache_dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(full, 0755);
		*slash = '/';
	}
	if (file_write_atomic(full, a->p, a->len))
		bwarn(full, "cannot cache the fetched VCEK");
}

/* Note a rate-limit answer; returns the back-off in seconds. */
static unsigned backoff(struct kds *k, long retry_after)
{
	int64_t delay;

	pthread_mutex_lock(&k->lock);
	delay = retry_after > 0 ? retry_after * 1000 : k->backoff_ms;
	if (delay > KDS_BACKOFF_MAX_MS)
		delay = KDS_BACKOFF_MAX_MS;
	if (retry_after <= 0 && k->backoff_ms < KDS_BACKOFF_MAX_MS)
		k->backoff_ms *= 2;
	k->not_before_ms = now_ms() + delay;
	pthread_mutex_unlock(&k->lock);
	return (unsigned)((delay + 999) / 1000);
}

static int fetch_one(struct kds *k, const char *path, STACK_OF(X509) *certs,
		     unsigned *retry_s, struct err_msg *why)
{
	struct answer a = { 0 };
	STACK_OF(X509) *sk = NULL;
	char url[4096];
	long status;
	int ret;

	snprintf(url, sizeof(url), "%s/%s", k->url, path);
	status = get(url, &a, why);
	if (status == 429 || status == 503) {
		*retry_s = backoff(k, a.retry_after);
		err_set(why, "KDS answered %ld: backing off for %u s", status, *retry_s);
		ret = -EAGAIN;
	} else if (status == 404) {
		err_set(why, "KDS has no VCEK for this chip and TCB");
		ret = -ENOENT;
	} else if (status != 200) {
		if (status >= 0)
			err_set(why, "KDS answered %ld", status);
		ret = -EIO;
	} else if (certs_parse(a.p, a.len, &sk) || certs_append(certs, sk)) {
		err_set(why, "KDS answered something that is not a certificate");
		ret = -EIO;
	} else {
		pthread_mutex_lock(&k->lock);
		k->backoff_ms = 1000;
		pthread_mutex_unlock(&k->lock);
		cache_store(k, path, &a);
		blog("info", "kds.fetched", json_pack("{s:s}", "path", path));
		ret = 0;
	}
	sk_X509_pop_free(sk, X509_free);
	free(a.p);
	return ret;
}

int kds_fetch_vcek(struct kds *k, const uint8_t report[SNP_REPORT_SIZE],
		   STACK_OF(X509) *certs, unsigned *retry_s, struct err_msg *why)
{
	struct snp_report *r = malloc(sizeof(*r));
	enum snp_product p, first, last;
	char path[512];
	int64_t wait;
	int ret = -ENOENT;

	*retry_s = 0;
	if (!r)
		return -ENOMEM;
	if (snp_report_parse(report, SNP_REPORT_SIZE, r)) {
		free(r);
		err_set(why, "the report does not decode");
		return -EIO;
	}
	pthread_mutex_lock(&k->lock);
	wait = k->not_before_ms - now_ms();
	pthread_mutex_unlock(&k->lock);
	if (wait > 0) {
		*retry_s = (unsigned)((wait + 999) / 1000);
		err_set(why, "KDS rate limit: backing off for %u s", *retry_s);
		free(r);
		return -EAGAIN;
	}
	first = last = snp_report_product(r);
	if (first == SNP_PRODUCT_UNKNOWN) {	/* v2: no CPUID in the report */
		first = SNP_PRODUCT_MILAN;
		last = SNP_PRODUCT_COUNT - 1;
	}
	for (p = first; p <= last && ret == -ENOENT; p++) {
		kds_vcek_path(r, p, path, sizeof(path));
		ret = fetch_one(k, path, certs, retry_s, why);
	}
	free(r);
	return ret;
}
