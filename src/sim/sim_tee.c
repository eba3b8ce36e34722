// SPDX-License-Identifier: GPL-2.0-only
/* The simulated SEV-SNP firmware's report service (sim_tee.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "sim/sim_tee.h"
#include "util/file.h"
#include "util/log.h"

struct sim_tee {
	pthread_mutex_t lock;		/* the launch, the count */
	struct sim_ca ca;
	bool have_ca;
	struct sim_launch launch;
	bool have_launch;
	uint8_t report_id[32];
	unsigned long reports;
};

int sim_tee_create(struct sim_ca *ca, struct sim_tee **out)
{
	struct sim_tee *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	pthread_mutex_init(&t->lock, NULL);
	if (ca) {
		t->ca = *ca;
		memset(ca, 0, sizeof(*ca));
		t->have_ca = true;
	}
	*out = t;
	return 0;
}

void sim_tee_destroy(struct sim_tee *t)
{
	if (!t)
		return;
	sim_ca_free(&t->ca);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

int sim_tee_set_launch(struct sim_tee *t, const struct sim_launch *l)
{
	uint8_t id[32];

	if (l->type != COCO_SNP || l->len != 48)
		return -EINVAL;
	if (RAND_bytes(id, sizeof(id)) != 1)
		return -EIO;
	pthread_mutex_lock(&t->lock);
	t->launch = *l;
	memcpy(t->report_id, id, sizeof(id));
	t->have_launch = true;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

unsigned long sim_tee_reports(struct sim_tee *t)
{
	unsigned long n;

	pthread_mutex_lock(&t->lock);
	n = t->reports;
	pthread_mutex_unlock(&t->lock);
	return n;
}

static int answer_status(uint16_t kind, uint32_t status, uint8_t **out, size_t *out_len)
{
	struct simtee_rsp_hdr h = { .kind = kind, .status = status };

	*out = malloc(SIMTEE_RSP_HDR_SIZE);
	if (!*out)
		return -ENOMEM;
	simtee_rsp_hdr_encode(&h, *out);
	*out_len = SIMTEE_RSP_HDR_SIZE;
	return 0;
}

/* A signed report (+ certificates) for @q; a status other than OK if not. */
static uint32_t make_report(struct sim_tee *t, const struct simtee_req *q, uint8_t *report)
{
	struct sim_report_in in = {
		.ca = &t->ca, .version = q->report_version ? q->report_version : 3,
		.vmpl = q->vmpl, .report_data = q->report_data,
	};
	struct sim_launch l;
	uint8_t id[32];

	pthread_mutex_lock(&t->lock);
	l = t->launch;
	memcpy(id, t->report_id, sizeof(id));
	if (!t->have_ca || !t->have_launch) {
		pthread_mutex_unlock(&t->lock);
		return SIMTEE_ERR_INTERNAL;
	}
	pthread_mutex_unlock(&t->lock);
	in.launch = &l;
	in.report_id = id;
	if (sim_snp_report(&in, report))
		return SIMTEE_ERR_INTERNAL;
	pthread_mutex_lock(&t->lock);
	t->reports++;
	pthread_mutex_unlock(&t->lock);
	return SIMTEE_OK;
}

int sim_tee_answer(struct sim_tee *t, const uint8_t *req, size_t len, uint8_t **out,
		   size_t *out_len)
{
	struct simtee_rsp_hdr h = { .status = SIMTEE_OK };
	struct simtee_req q;
	size_t certs;
	uint8_t *a;
	int ret = simtee_req_parse(req, len, &q);

	if (ret == -EBADMSG)
		return ret;
	/* -ERANGE: the VMPL or the report version (which goes first, as unsupported) */
	if (ret)
		return answer_status(q.kind, ret == -ERANGE && (q.report_version == 0 ||
				     q.report_version == 3 || q.report_version == 5) ?
				     SIMTEE_ERR_BAD_VMPL : SIMTEE_ERR_UNSUPPORTED, out, out_len);
	certs = (q.flags & SIMTEE_F_CERTS) && t->have_ca ? t->ca.certs.len : 0;
	if (certs > SIMTEE_MAX_CERTS)
		return answer_status(q.kind, SIMTEE_ERR_INTERNAL, out, out_len);
	a = malloc(SIMTEE_RSP_HDR_SIZE + SIMTEE_REPORT_SIZE + certs);
	if (!a)
		return -ENOMEM;
	h.kind = q.kind;
	h.status = make_report(t, &q, a + SIMTEE_RSP_HDR_SIZE);
	if (h.status != SIMTEE_OK) {
		free(a);
		return answer_status(q.kind, h.status, out, out_len);
	}
	h.report_len = SIMTEE_REPORT_SIZE;
	h.certs_len = (uint32_t)certs;
	simtee_rsp_hdr_encode(&h, a);
	if (certs)
		memcpy(a + SIMTEE_RSP_HDR_SIZE + SIMTEE_REPORT_SIZE, t->ca.certs.table, certs);
	*out = a;
	*out_len = SIMTEE_RSP_HDR_SIZE + SIMTEE_REPORT_SIZE + certs;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Read exactly @len bytes by @deadline: 0, or -1 (EOF, error, time). */
static int read_full(int fd, uint8_t *buf, size_t len, long deadline)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

void sim_tee_serve(void *opaque, int fd)
{
	struct sim_tee *t = opaque;
	uint8_t req[SIMTEE_REQ_SIZE], *ans = NULL;
	size_t len;

	if (read_full(fd, req, sizeof(req), now_ms() + SIM_TEE_TIMEOUT_MS)) {
		log_debug("sim-TEE: no complete request");
		return;
	}
	if (sim_tee_answer(t, req, sizeof(req), &ans, &len)) {
		log_debug("sim-TEE: a malformed request: closed unanswered");
		return;
	}
	if (fd_write_all(fd, ans, len))
		log_debug("sim-TEE: the guest went away before the answer");
	else
		log_info("--coco: platform=sim: report request (VMPL %u, version %u): %s",
			 req[12], req[16] ? req[16] : 3, simtee_status_name(ans[8]));
	free(ans);
}
