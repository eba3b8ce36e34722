// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "attest/claims.h"
#include "attest/tdx/ccel.h"
#include "util/bytes.h"
#include "util/err.h"

#define TPM_ALG_SHA384	0x000C

int ccel_table_parse(const uint8_t *buf, size_t len, struct ccel_table *t)
{
	uint8_t sum = 0;
	uint32_t tlen;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (!buf || len < CCEL_TABLE_SIZE || memcmp(buf, "CCEL", 4))
		return -EINVAL;
	tlen = get_le32(buf + 4);
	if (tlen < CCEL_TABLE_SIZE || tlen > len)
		return -EINVAL;
	for (i = 0; i < tlen; i++)
		sum = (uint8_t)(sum + buf[i]);
	if (sum)
		return -EINVAL;
	t->revision = buf[8];
	memcpy(t->oem_id, buf + 10, 6);
	memcpy(t->oem_table_id, buf + 16, 8);
	t->cc_type = buf[36];
	t->cc_subtype = buf[37];
	t->laml = get_le64(buf + 40);
	t->lasa = get_le64(buf + 48);
	return 0;
}

static int fail(struct err_msg *why, size_t off, const char *fmt, ...) __printf(3, 4);

static int fail(struct err_msg *why, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(why, fmt, ap);
	va_end(ap);
	err_prefix(why, "offset 0x%zx", off);
	return -EINVAL;
}

/* The legacy TCG_PCR_EVENT carrying "Spec ID Event03". */
static int parse_spec_id(const uint8_t *buf, size_t len, struct ccel_log *log,
			 size_t *next, struct err_msg *why)
{
	static const char sig[16] = "Spec ID Event03";
	const uint8_t *ev;
	uint32_t size, n, i;
	size_t off;

	/* u32 index ‖ u32 type ‖ SHA-1 digest[20] ‖ u32 size ‖ event */
	if (len < 32)
		return fail(why, 0, "too short for the log header");
	if (get_le32(buf + 4) != CCEL_EV_NO_ACTION)
		return fail(why, 0, "the first event is not EV_NO_ACTION");
	size = get_le32(buf + 28);
	if (size > len - 32 || size < 16 + 4 + 4 + 4 + 1)
		return fail(why, 0, "bad Spec ID event size %u", size);
	ev = buf + 32;
	if (memcmp(ev, sig, 16))
		return fail(why, 32, "no \"Spec ID Event03\" signature");
	n = get_le32(ev + 24);
	if (n == 0 || n > CCEL_MAX_ALGS || 28 + (size_t)n * 4 + 1 > size)
		return fail(why, 32, "bad algorithm count %u", n);
	for (i = 0; i < n; i++) {
		log->alg_ids[i] = get_le16(ev + 28 + 4 * i);
		log->alg_sizes[i] = get_le16(ev + 28 + 4 * i + 2);
		if (!log->alg_sizes[i] || log->alg_sizes[i] > 64)
			return fail(why, 32, "bad digest size %u",
				    log->alg_sizes[i]);
		if (log->alg_ids[i] == TPM_ALG_SHA384 && log->alg_sizes[i] != 48)
			return fail(why, 32, "SHA-384 digest size %u",
				    log->alg_sizes[i]);
	}
	log->nalgs = n;
	off = 28 + (size_t)n * 4;
	/* vendorInfoSize ‖ vendorInfo must fit in the event */
	if (off + 1 + ev[off] > size)
		return fail(why, 32, "vendor info overruns the event");
	*next = 32 + size;
	return 0;
}

static int alg_size(const struct ccel_log *log, uint16_t alg)
{
	unsigned i;

	for (i = 0; i < log->nalgs; i++)
		if (log->alg_ids[i] == alg)
			return log->alg_sizes[i];
	return -1;
}

static int extend(uint8_t mr[48], const uint8_t digest[48])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha384(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, mr, 48) == 1 &&
	     EVP_DigestUpdate(ctx, digest, 48) == 1 &&
	     EVP_DigestFinal_ex(ctx, mr, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -ENOMEM;
}

static bool unused_space(const uint8_t *p, size_t n)
{
	size_t i;
	bool ff = true, zero = true;

	for (i = 0; i < n; i++) {
		ff &= p[i] == 0xFF;
		zero &= p[i] == 0x00;
	}
	return ff || zero;
}

/* The digests of the event at @off: u32 count ‖ { u16 alg ‖ digest }... at *@p. */
static int parse_digests(const uint8_t *buf, size_t len, size_t off,
			 const struct ccel_log *log, struct ccel_event *e, size_t *p,
			 struct err_msg *why)
{
	uint32_t count = get_le32(buf + *p), i;

	*p += 4;
	if (count == 0 || count > CCEL_MAX_ALGS)
		return fail(why, off, "bad digest count %u", count);
	for (i = 0; i < count; i++) {
		uint16_t alg;
		int sz;

		if (len - *p < 2)
			return fail(why, off, "truncated digest list");
		alg = get_le16(buf + *p);
		sz = alg_size(log, alg);
		if (sz < 0)
			return fail(why, off, "digest algorithm 0x%x not in the header", alg);
		*p += 2;
		if (len - *p < (size_t)sz)
			return fail(why, off, "truncated digest");
		if (alg == TPM_ALG_SHA384) {
			memcpy(e->sha384, buf + *p, 48);
			e->has_sha384 = true;
		}
		*p += (size_t)sz;
	}
	return 0;
}

/*
 * The TCG_PCR_EVENT2 at @off (at least its 12-byte header is there):
 * u32 index ‖ u32 type ‖ digests ‖ u32 size ‖ data.  *@next is the
 * offset after it.
 */
static int parse_event(const uint8_t *buf, size_t len, size_t off,
		       const struct ccel_log *log, struct ccel_event *e, size_t *next,
		       struct err_msg *why)
{
	size_t p = off + 8;
	uint32_t size;
	int ret;

	memset(e, 0, sizeof(*e));
	e->offset = off;
	e->mr_index = get_le32(buf + off);
	e->type = get_le32(buf + off + 4);
	ret = parse_digests(buf, len, off, log, e, &p, why);
	if (ret)
		return ret;
	if (len - p < 4)
		return fail(why, off, "truncated event size");
	size = get_le32(buf + p);
	p += 4;
	if (size > len - p)
		return fail(why, off, "event data overruns the log");
	e->data_len = size;
	e->data = buf + p;
	*next = p + size;
	return 0;
}

/* Extend the RTMR an event measures (index 1-4 = RTMR0-3; EV_NO_ACTION none). */
static int replay_event(struct ccel_log *log, const struct ccel_event *e,
			struct err_msg *why)
{
	int ret;

	if (e->type == CCEL_EV_NO_ACTION || e->mr_index < 1 || e->mr_index > 4)
		return 0;
	if (!e->has_sha384)
		return fail(why, e->offset, "event has no SHA-384 digest");
	ret = extend(log->rtmr[e->mr_index - 1], e->sha384);
	if (!ret)
		log->extends[e->mr_index - 1]++;
	return ret;
}

/* Parse the event at *@off into a new entry of @log and replay it. */
static int add_event(const uint8_t *buf, size_t len, size_t *off, struct ccel_log *log,
		     size_t *cap, struct err_msg *why)
{
	struct ccel_event *e;
	int ret;

	if (log->nevents == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct ccel_event *ne = realloc(log->events, ncap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		log->events = ne;
		*cap = ncap;
	}
	e = &log->events[log->nevents];
	ret = parse_event(buf, len, *off, log, e, off, why);
	if (ret)
		return ret;
	log->nevents++;
	return replay_event(log, e, why);
}

int ccel_log_replay(const uint8_t *buf, size_t len, struct ccel_log *log,
		    struct err_msg *why)
{
	size_t off = 0, cap = 0;
	int ret;

	memset(log, 0, sizeof(*log));
	if (!buf)
		return -EINVAL;
	ret = parse_spec_id(buf, len, log, &off, why);
	if (ret)
		return ret;
	if (alg_size(log, TPM_ALG_SHA384) != 48)
		return fail(why, 0, "the log has no SHA-384 digests");
	while (off < len && !ret) {
		/* index ‖ type: unused log space ends the log */
		if (len - off < 8 || unused_space(buf + off, 8))
			break;
		if (len - off < 12)
			ret = fail(why, off, "truncated event header");
		else if (log->nevents == CCEL_MAX_EVENTS)
			ret = fail(why, off, "more than %d events", CCEL_MAX_EVENTS);
		else
			ret = add_event(buf, len, &off, log, &cap, why);
	}
	if (ret) {
		ccel_log_free(log);
		return ret;
	}
	log->end = off;
	return 0;
}

void ccel_log_free(struct ccel_log *log)
{
	free(log->events);
	log->events = NULL;
	log->nevents = 0;
}

json_t *ccel_table_claims(const struct ccel_table *t)
{
	json_t *o = json_object();
	char id[9];

	claims_set_int(o, "revision", t->revision);
	memcpy(id, t->oem_id, 6);
	id[6] = 0;
	claims_set_str(o, "oem_id", id);
	claims_set_int(o, "cc_type", t->cc_type);
	claims_set_str(o, "cc_type_name", t->cc_type == 2 ? "TDX" :
					  t->cc_type == 1 ? "SEV" : "unknown");
	claims_set_int(o, "cc_subtype", t->cc_subtype);
	claims_set_u64hex(o, "log_area_minimum_length", t->laml);
	claims_set_u64hex(o, "log_area_start_address", t->lasa);
	return o;
}

json_t *ccel_log_claims(const struct ccel_log *log)
{
	json_t *o = json_object(), *evs = json_array(), *r = json_array();
	size_t i;

	claims_set_int(o, "events", (int64_t)log->nevents);
	for (i = 0; i < log->nevents; i++) {
		const struct ccel_event *e = &log->events[i];
		json_t *ej = json_object();

		claims_set_int(ej, "mr_index", e->mr_index);
		claims_set_u64hex(ej, "type", e->type);
		if (e->has_sha384)
			claims_set_hex(ej, "sha384", e->sha384, 48);
		claims_set_int(ej, "data_bytes", e->data_len);
		json_array_append_new(evs, ej);
	}
	for (i = 0; i < 4; i++) {
		json_t *rj = json_object();

		claims_set_hex(rj, "replayed", log->rtmr[i], 48);
		claims_set_int(rj, "events", log->extends[i]);
		json_array_append_new(r, rj);
	}
	json_object_set_new(o, "rtmr", r);
	json_object_set_new(o, "event_list", evs);
	return o;
}

static const char *const rtmr_checks[4] = {
	"ccel.rtmr0", "ccel.rtmr1", "ccel.rtmr2", "ccel.rtmr3"
};

static void compare_rtmrs(const struct ccel_log *log, const uint8_t (*rtmr)[48],
			  json_t *out, struct verdict *v)
{
	json_t *cmp = json_array();
	int i;

	for (i = 0; i < 4; i++) {
		json_t *r = json_object();
		bool eq = !memcmp(log->rtmr[i], rtmr[i], 48);

		claims_set_hex(r, "replayed", log->rtmr[i], 48);
		claims_set_hex(r, "quote", rtmr[i], 48);
		claims_set_bool(r, "match", eq);
		json_array_append_new(cmp, r);
		if (!eq)
			verdict_fail(v, rtmr_checks[i],
				     "RTMR%d replayed from the event log (%u events) differs from the quote",
				     i, log->extends[i]);
		else
			verdict_passf(v, rtmr_checks[i], "%u events", log->extends[i]);
	}
	json_object_set_new(out, "rtmr_match", cmp);
}

int ccel_verify(const uint8_t *table, size_t tlen, const uint8_t *buf, size_t llen,
		const uint8_t (*rtmr)[48], const char *table_name, const char *log_name,
		json_t *out, struct verdict *v)
{
	struct ccel_table t;
	struct ccel_log log;
	struct err_msg why;
	int ret;

	if (ccel_table_parse(table, tlen, &t)) {
		verdict_fail(v, "ccel.table", "%s: not a valid ACPI CCEL table", table_name);
	} else {
		json_object_set_new(out, "table", ccel_table_claims(&t));
		if (t.cc_type != 2)
			verdict_fail(v, "ccel.table", "CC type %u is not TDX (2)", t.cc_type);
		verdict_pass(v, "ccel.table");
	}
	ret = ccel_log_replay(buf, llen, &log, &why);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		int i;

		verdict_fail(v, "ccel.log", "%s: %s", log_name, why.msg);
		for (i = 0; i < 4; i++)
			verdict_skip(v, rtmr_checks[i], "the event log did not parse");
		return 0;
	}
	verdict_pass(v, "ccel.log");
	json_object_set_new(out, "log", ccel_log_claims(&log));
	if (rtmr) {
		verdict_pass(v, "ccel.quote");
		compare_rtmrs(&log, rtmr, out, v);
	} else {
		verdict_fail(v, "ccel.quote", "the quote could not be decoded");
	}
	ccel_log_free(&log);
	return 0;
}
