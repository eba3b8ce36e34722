// SPDX-License-Identifier: GPL-2.0-only
/* The ACPI builder's output as the three fw_cfg files firmware expects. */
#include <errno.h>
#include <stdlib.h>

#include "arch/x86/acpi/acpi.h"
#include "devices/fw_cfg/fw_cfg.h"

int fw_cfg_add_acpi_files(struct fw_cfg *fc, const struct acpi_tables *t)
{
	uint8_t *loader;
	size_t len;
	unsigned int i;
	int ret;

	for (i = 0; i < ACPI_NR_FILES; i++) {
		ret = fw_cfg_add_file(fc, t->files[i].name, t->files[i].data,
				      t->files[i].len);
		if (ret)
			return ret;
	}
	ret = acpi_table_loader(t, &loader, &len);
	if (ret)
		return ret;
	return fw_cfg_add_file_ex(fc, ACPI_LOADER_FILE_NAME, loader, len,
				  FW_CFG_F_TAKE, NULL, NULL);
}

int fw_cfg_update_acpi_files(struct fw_cfg *fc, const struct acpi_tables *t)
{
	uint8_t *loader;
	size_t len;
	unsigned int i;
	int ret;

	ret = acpi_table_loader(t, &loader, &len);
	if (ret)
		return ret;
	for (i = 0; !ret && i < ACPI_NR_FILES; i++)
		ret = fw_cfg_update_file(fc, t->files[i].name, t->files[i].data,
					 t->files[i].len);
	if (!ret)
		ret = fw_cfg_update_file(fc, ACPI_LOADER_FILE_NAME, loader, len);
	free(loader);
	return ret;
}
