/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_GUEST_UAPI_H
#define CVMM_AGENT_GUEST_UAPI_H

/*
 * The ioctl ABI of Linux's /dev/sev-guest (include/uapi/linux/sev-guest.h,
 * 5.19+) and /dev/tdx_guest (include/uapi/linux/tdx-guest.h, 6.2+), defined
 * here because the build host's headers may lack them.
 */
#include <stdint.h>
#include <linux/ioctl.h>

struct agent_snp_report_req {
	uint8_t user_data[64];
	uint32_t vmpl;
	uint8_t rsvd[28];
};

struct agent_snp_report_resp {
	uint8_t data[4000];
};

struct agent_snp_guest_request_ioctl {
	uint8_t msg_version;
	uint64_t req_data;
	uint64_t resp_data;
	union {
		uint64_t exitinfo2;
		struct {
			uint32_t fw_error;
			uint32_t vmm_error;
		};
	};
};

struct agent_snp_ext_report_req {
	struct agent_snp_report_req data;
	uint64_t certs_address;
	uint32_t certs_len;
};

#define AGENT_SNP_GET_REPORT	 _IOWR('S', 0x0, struct agent_snp_guest_request_ioctl)
#define AGENT_SNP_GET_EXT_REPORT _IOWR('S', 0x2, struct agent_snp_guest_request_ioctl)
#define AGENT_SNP_VMM_ERR_INVALID_LEN	1
/* MSG_REPORT_RSP: u32 status, u32 report_size, 24 reserved, the report */
#define AGENT_SNP_RSP_HDR	0x20
/* the kernel's SEV_FW_BLOB_MAX_SIZE; certs_len must be page-aligned */
#define AGENT_SNP_CERTS_MAX	0x4000

#define AGENT_TDX_REPORT_LEN	1024
struct agent_tdx_report_req {
	uint8_t reportdata[64];
	uint8_t tdreport[AGENT_TDX_REPORT_LEN];
};
#define AGENT_TDX_CMD_GET_REPORT0 _IOWR('T', 1, struct agent_tdx_report_req)

#endif
