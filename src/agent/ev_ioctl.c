// SPDX-License-Identifier: GPL-2.0-only
/*
 * The legacy guest devices, for kernels before configfs-tsm (6.7):
 * /dev/sev-guest (SNP_GET_EXT_REPORT, else SNP_GET_REPORT) and
 * /dev/tdx_guest (TDX_CMD_GET_REPORT0, the TDREPORT then turned into a
 * quote by the host's quote generation service over vsock).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "agent/evidence.h"
#include "agent/guest_uapi.h"
#include "agent/net.h"
#include "util/bytes.h"

#define QGS_VSOCK_PORT	4050

static int snp_take_report(const struct agent_snp_report_resp *resp,
			   struct evidence *ev, char *why, size_t whylen)
{
	uint32_t status = get_le32(resp->data), size = get_le32(resp->data + 4);

	if (status || size != 1184 ||
	    size > sizeof(resp->data) - AGENT_SNP_RSP_HDR) {
		snprintf(why, whylen, "firmware status 0x%x, report of %u bytes",
			 status, size);
		return -EIO;
	}
	ev->report = malloc(size);
	if (!ev->report)
		return -ENOMEM;
	memcpy(ev->report, resp->data + AGENT_SNP_RSP_HDR, size);
	ev->report_len = size;
	return 0;
}

static int snp_ext(int fd, const struct agent_snp_report_req *rq,
		   struct agent_snp_report_resp *resp, uint8_t *certs,
		   uint32_t *certs_len)
{
	struct agent_snp_ext_report_req ext = {
		.data = *rq,
		.certs_address = (uint64_t)(uintptr_t)certs,
		.certs_len = AGENT_SNP_CERTS_MAX,
	};
	struct agent_snp_guest_request_ioctl io = {
		.msg_version = 1,
		.req_data = (uint64_t)(uintptr_t)&ext,
		.resp_data = (uint64_t)(uintptr_t)resp,
	};

	if (ioctl(fd, AGENT_SNP_GET_EXT_REPORT, &io) < 0)
		return io.vmm_error == AGENT_SNP_VMM_ERR_INVALID_LEN ? -E2BIG : -errno;
	*certs_len = ext.certs_len;
	return 0;
}

int ev_sev_guest_collect(const char *dev, const struct agent_config *c,
			 const uint8_t report_data[64], struct evidence *ev,
			 char *why, size_t whylen)
{
	struct agent_snp_report_req rq = { .vmpl = c->vmpl };
	struct agent_snp_report_resp *resp = calloc(1, sizeof(*resp));
	uint8_t *certs = aligned_alloc(4096, AGENT_SNP_CERTS_MAX);
	struct agent_snp_guest_request_ioctl io = { .msg_version = 1 };
	uint32_t clen = 0;
	int fd = -1, err;

	ev->tee = AGENT_TEE_SNP;
	ev->provider = "sev-guest";
	err = resp && certs ? 0 : -ENOMEM;
	if (!err) {
		memset(certs, 0, AGENT_SNP_CERTS_MAX);
		memcpy(rq.user_data, report_data, 64);
		fd = open(dev, O_RDWR | O_CLOEXEC);
		err = fd < 0 ? -errno : 0;
	}
	if (!err)
		err = snp_ext(fd, &rq, resp, certs, &clen);
	if (err && err != -ENOMEM && fd >= 0) {
		/* No extended reports here: a plain one (no certificates). */
		io.req_data = (uint64_t)(uintptr_t)&rq;
		io.resp_data = (uint64_t)(uintptr_t)resp;
		clen = 0;
		err = ioctl(fd, AGENT_SNP_GET_REPORT, &io) < 0 ? -errno : 0;
	}
	if (!err)
		err = snp_take_report(resp, ev, why, whylen);
	if (!err && clen && clen <= AGENT_SNP_CERTS_MAX) {
		ev->certs = malloc(clen);
		err = ev->certs ? 0 : -ENOMEM;
		if (!err) {
			memcpy(ev->certs, certs, clen);
			ev->certs_len = clen;
		}
	}
	if (err && !why[0])
		snprintf(why, whylen, "%s: %s", dev, strerror(-err));
	if (fd >= 0)
		close(fd);
	free(resp);
	free(certs);
	return err;
}

/*
 * DCAP qgs_msg: header {u16 major 1, u16 minor 1, u32 type, u32 size of
 * the whole message, u32 error_code}; GET_QUOTE_REQ (0) adds {u32
 * report_size, u32 id_list_size, report}; GET_QUOTE_RESP (1) adds {u32
 * selected_id_size, u32 quote_size, id, quote}.  On a socket each message
 * is preceded by its size as a 4-byte big-endian number.
 */
#define QGS_HDR		16
#define QGS_REQ_LEN	(QGS_HDR + 8 + 1024)

int qgs_quote_request(const uint8_t tdreport[1024], uint8_t *out, size_t outlen,
		      size_t *len)
{
	if (outlen < 4 + QGS_REQ_LEN)
		return -ENOSPC;
	memset(out, 0, 4 + QGS_REQ_LEN);
	out[0] = 0;
	out[1] = 0;
	out[2] = (uint8_t)(QGS_REQ_LEN >> 8);
	out[3] = (uint8_t)QGS_REQ_LEN;
	out[4] = 1;			/* major */
	out[6] = 1;			/* minor */
	put_le32(out + 8, 0);		/* GET_QUOTE_REQ */
	put_le32(out + 12, QGS_REQ_LEN);
	put_le32(out + 4 + QGS_HDR, 1024);
	memcpy(out + 4 + QGS_HDR + 8, tdreport, 1024);
	*len = 4 + QGS_REQ_LEN;
	return 0;
}

int qgs_quote_response(const uint8_t *m, size_t len, const uint8_t **quote,
		       size_t *quote_len, char *why, size_t whylen)
{
	uint32_t size, idlen, qlen;

	if (len < QGS_HDR + 8) {
		snprintf(why, whylen, "QGS answer of %zu bytes", len);
		return -EBADMSG;
	}
	size = get_le32(m + 8);
	idlen = get_le32(m + QGS_HDR);
	qlen = get_le32(m + QGS_HDR + 4);
	if (get_le16(m) != 1 || get_le32(m + 4) != 1 || size != len) {
		snprintf(why, whylen, "not a QGS GET_QUOTE answer");
		return -EBADMSG;
	}
	if (get_le32(m + 12)) {
		snprintf(why, whylen, "QGS error 0x%x", get_le32(m + 12));
		return -EIO;
	}
	if (!qlen || idlen > len - QGS_HDR - 8 || qlen > len - QGS_HDR - 8 - idlen) {
		snprintf(why, whylen, "QGS answer lengths do not add up");
		return -EBADMSG;
	}
	*quote = m + QGS_HDR + 8 + idlen;
	*quote_len = qlen;
	return 0;
}

static int qgs_exchange(int fd, const uint8_t *tdreport, uint64_t deadline,
			struct evidence *ev, char *why, size_t whylen)
{
	uint8_t req[4 + QGS_REQ_LEN], be[4], *m;
	const uint8_t *q;
	size_t rlen, qlen;
	uint32_t n;
	int err;

	qgs_quote_request(tdreport, req, sizeof(req), &rlen);
	err = fd_send_all(fd, req, rlen, deadline);
	if (!err)
		err = fd_recv_all(fd, be, 4, deadline);
	if (err)
		return err;
	n = (uint32_t)be[0] << 24 | be[1] << 16 | be[2] << 8 | be[3];
	if (n > EVIDENCE_MAX_QUOTE)
		return -EMSGSIZE;
	m = malloc(n ? n : 1);
	if (!m)
		return -ENOMEM;
	err = fd_recv_all(fd, m, n, deadline);
	if (!err)
		err = qgs_quote_response(m, n, &q, &qlen, why, whylen);
	if (!err) {
		ev->report = malloc(qlen);
		err = ev->report ? 0 : -ENOMEM;
		if (!err) {
			memcpy(ev->report, q, qlen);
			ev->report_len = qlen;
		}
	}
	free(m);
	return err;
}

int ev_tdx_guest_collect(const char *dev, const uint8_t report_data[64],
			 uint64_t deadline, struct evidence *ev,
			 char *why, size_t whylen)
{
	const struct agent_addr qgs = { .kind = ADDR_VSOCK, .cid = 2, .port = QGS_VSOCK_PORT };
	struct agent_tdx_report_req rq;
	int fd, err;

	ev->tee = AGENT_TEE_TDX;
	ev->provider = "tdx-guest";
	memset(&rq, 0, sizeof(rq));
	memcpy(rq.reportdata, report_data, 64);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, AGENT_TDX_CMD_GET_REPORT0, &rq) < 0) {
		err = -errno;
		snprintf(why, whylen, "%s: %s", dev, strerror(errno));
		if (fd >= 0)
			close(fd);
		return err;
	}
	close(fd);
	fd = agent_connect(&qgs, deadline);
	if (fd < 0) {
		snprintf(why, whylen, "quote service at vsock 2:%d: %s", QGS_VSOCK_PORT,
			 strerror(-fd));
		return fd;
	}
	err = qgs_exchange(fd, rq.tdreport, deadline, ev, why, whylen);
	close(fd);
	if (err && !why[0])
		snprintf(why, whylen, "quote service: %s", strerror(-err));
	explicit_bzero(&rq, sizeof(rq));
	return err;
}
