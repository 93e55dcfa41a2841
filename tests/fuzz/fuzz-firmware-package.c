/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-firmware-package.h"
#include "wf-fuzz.h"

/* an archive (zip, 7z, rar, tar) in memory: entry listing, caps, cfg choice,
 * name resolution, GFH checks of every listed file, the split manifest */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) plan = NULL;
	GPtrArray *files;
	guint32 end = 0;

	wf_fuzz_init();
	if (!wf_firmware_package_load_archive_bytes(package, blob, &error)) {
		wf_fuzz_check(error != NULL && error->message != NULL);
		return 0;
	}
	wf_fuzz_check(wf_firmware_package_get_cfg(package) != NULL);
	files = wf_firmware_package_get_files(package);
	for (guint i = 0; i < files->len; i++) {
		WfFirmwarePackageFile *f = g_ptr_array_index(files, i);
		/* sorted, not overlapping, and every byte to write is in the file */
		wf_fuzz_check(f->length > 0 && f->length <= g_bytes_get_size(f->data));
		wf_fuzz_check((guint64)f->offset + f->length <= G_MAXUINT32);
		wf_fuzz_check(f->offset >= end);
		end = f->offset + f->length;
		wf_fuzz_check(f->sha256 != NULL && strlen(f->sha256) == 64);
	}
	wf_fuzz_check(wf_firmware_package_get_end(package) >= end);
	plan = wf_firmware_package_get_plan_files(
		package, WF_FIRMWARE_PACKAGE_PLAN_FS_TAIL | WF_FIRMWARE_PACKAGE_PLAN_EXTRA);
	wf_fuzz_check(plan->len <= files->len);
	{
		g_autoptr(JsonNode) node = wf_firmware_package_to_json(package);
		g_autofree gchar *json = json_to_string(node, FALSE);
		wf_fuzz_check(json != NULL);
	}
	return 0;
}
