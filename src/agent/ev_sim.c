// SPDX-License-Identifier: GPL-2.0-only
/* The cvmm simulated SEV-SNP platform over vsock (simtee.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/evidence.h"
#include "agent/net.h"
#include "proto/simtee.h"

static int sim_exchange(int fd, const struct simtee_req *req, uint64_t deadline,
			struct evidence *ev, char *why, size_t whylen)
{
	uint8_t q[SIMTEE_REQ_SIZE], h[SIMTEE_RSP_HDR_SIZE];
	struct simtee_rsp_hdr hdr;
	struct err_msg e = { "" };
	int err;

	err = simtee_req_encode(req, q);
	if (err)
		return err;
	err = fd_send_all(fd, q, sizeof(q), deadline);
	if (!err)
		err = fd_recv_all(fd, h, sizeof(h), deadline);
	if (err) {
		snprintf(why, whylen, "%s", err == -EPIPE ? "the host closed the connection" :
			 strerror(-err));
		return err;
	}
	if (simtee_rsp_hdr_parse(h, sizeof(h), req, &hdr, &e)) {
		snprintf(why, whylen, "%s", e.msg);
		return -EBADMSG;
	}
	if (hdr.status != SIMTEE_OK) {
		snprintf(why, whylen, "the simulated platform refused: %s",
			 simtee_status_name(hdr.status));
		return -EPERM;
	}
	ev->report = malloc(hdr.report_len);
	ev->certs = hdr.certs_len ? malloc(hdr.certs_len) : NULL;
	if (!ev->report || (hdr.certs_len && !ev->certs))
		return -ENOMEM;
	ev->report_len = hdr.report_len;
	ev->certs_len = hdr.certs_len;
	err = fd_recv_all(fd, ev->report, hdr.report_len, deadline);
	if (!err && hdr.certs_len)
		err = fd_recv_all(fd, ev->certs, hdr.certs_len, deadline);
	if (err) {
		snprintf(why, whylen, "answer cut short: %s", strerror(-err));
		return err;
	}
	err = simtee_rsp_body_check(req, ev->report, ev->report_len, ev->certs,
				    ev->certs_len, &e);
	if (err)
		snprintf(why, whylen, "%s", e.msg);
	return err;
}

int ev_sim_collect(const struct agent_config *c, const uint8_t report_data[64],
		   uint64_t deadline, struct evidence *ev, char *why, size_t whylen)
{
	struct simtee_req req = {
		.kind = SIMTEE_KIND_SNP_REPORT,
		.flags = SIMTEE_F_CERTS,
		.vmpl = c->vmpl,
		.report_version = c->report_version,
	};
	int fd, err;

	memcpy(req.report_data, report_data, 64);
	ev->tee = AGENT_TEE_SNP;
	ev->provider = "sim";
	fd = agent_connect(&c->sim, deadline);
	if (fd < 0) {
		char a[128];

		agent_addr_format(&c->sim, a, sizeof(a));
		snprintf(why, whylen, "%s: %s", a, strerror(-fd));
		return fd;
	}
	err = sim_exchange(fd, &req, deadline, ev, why, whylen);
	close(fd);
	return err;
}
