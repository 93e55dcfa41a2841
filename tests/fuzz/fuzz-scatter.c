/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-error.h"
#include "wf-fuzz.h"
#include "wf-scatter.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfScatter) scat = wf_scatter_new();
	g_autoptr(GError) error = NULL;
	WfConfigFileKind kind;

	wf_fuzz_init();
	kind = wf_config_file_detect(blob);
	wf_fuzz_check(wf_config_file_kind_to_string(kind) != NULL);
	if (!wf_scatter_parse(scat, blob, &error)) {
		wf_fuzz_check(error != NULL);
		/* the Android refusal is decided by the sniffer alone */
		wf_fuzz_check((kind == WF_CONFIG_FILE_ANDROID_SCATTER) ==
			      (g_error_matches(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED) &&
			       g_str_has_prefix(error->message, "this is an Android scatter")));
		wf_fuzz_check(wf_scatter_get_load_regions(scat)->len == 0);
		return 0;
	}
	wf_fuzz_check(wf_scatter_get_load_regions(scat)->len > 0);
	{
		g_autoptr(JsonNode) node = wf_scatter_to_json(scat);
		g_autofree gchar *json = json_to_string(node, FALSE);
		wf_fuzz_check(json != NULL);
	}
	return 0;
}
