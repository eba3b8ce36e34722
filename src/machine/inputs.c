// SPDX-License-Identifier: GPL-2.0-only
/*
 * The small host files a boot uses besides the images, read once per
 * machine: a guest reset rebuilds the VM from these copies (the docs
 * promise pristine copies of every input; a file changed or deleted
 * meanwhile must not change or break the next boot).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"
#include "measure/id_block.h"
#include "util/file.h"
#include "util/log.h"

#define FW_CFG_FILE_MAX	(256u << 20)
#define ID_FILE_MAX	(1u << 20)

static int read_exact(const char *path, size_t want, const char *what, uint8_t **out)
{
	uint8_t *data;
	size_t len;
	int ret = file_read(path, ID_FILE_MAX, &data, &len);

	if (ret) {
		log_err(path, "cannot read the %s: %s", what, strerror(-ret));
		return ret;
	}
	if (len != want) {
		log_err(path, "the %s must be %zu bytes, not %zu", what, want, len);
		free(data);
		return -EINVAL;
	}
	*out = data;
	return 0;
}

static int read_fw_cfg_files(struct machine *m)
{
	const struct vm_config *cfg = m->cfg;
	unsigned int i;
	int ret;

	if (!cfg->nr_fw_cfg)
		return 0;
	m->fw_cfg_files = calloc(cfg->nr_fw_cfg, sizeof(*m->fw_cfg_files));
	if (!m->fw_cfg_files)
		return log_errno("--fw-cfg", -ENOMEM);
	for (i = 0; i < cfg->nr_fw_cfg; i++) {
		const struct fw_cfg_item_config *it = &cfg->fw_cfg[i];

		if (!it->file)
			continue;
		ret = file_read(it->file, FW_CFG_FILE_MAX, &m->fw_cfg_files[i].data,
				&m->fw_cfg_files[i].len);
		if (ret) {
			log_err(it->file, "cannot read fw_cfg item '%s': %s", it->name,
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int machine_read_inputs(struct machine *m)
{
	const struct coco_config *cc = &m->cfg->coco;
	int ret;

	ret = read_fw_cfg_files(m);
	if (ret)
		return ret;
	if (!cc->id_block_path && !cc->id_auth_path)
		return 0;
	if (!cc->id_block_path || !cc->id_auth_path) {
		log_err("--coco", "id-block= and id-auth= go together");
		return -EINVAL;
	}
	ret = read_exact(cc->id_block_path, SNP_ID_BLOCK_LEN, "SNP ID block", &m->id_block);
	if (!ret)
		ret = read_exact(cc->id_auth_path, SNP_ID_AUTH_LEN, "SNP ID auth", &m->id_auth);
	return ret;
}

void machine_free_inputs(struct machine *m)
{
	unsigned int i;

	if (m->fw_cfg_files)
		for (i = 0; i < m->cfg->nr_fw_cfg; i++)
			free(m->fw_cfg_files[i].data);
	free(m->fw_cfg_files);
	m->fw_cfg_files = NULL;
	free(m->id_block);
	free(m->id_auth);
	m->id_block = m->id_auth = NULL;
}
