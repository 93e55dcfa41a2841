/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-fuzz.h"
#include "wf-gfh.h"

static void
wf_fuzz_gfh_parts(const uint8_t *data, size_t size)
{
	g_autoptr(GArray) parts = wf_gfh_zimage_parse(data, size, 0, NULL);
	g_autoptr(WfGfhDcm) dcm = wf_gfh_dcm_parse(data, size, 0, NULL);
	WfGfhAlice alice;

	if (parts != NULL)
		wf_fuzz_check(parts->len > 0 && parts->len <= WF_GFH_ZIMAGE_MAX_PARTS);
	if (dcm != NULL)
		wf_fuzz_check(dcm->images->len <= WF_GFH_DCM_MAX_IMAGES);
	if (wf_gfh_alice_parse(data, size, 0, &alice, NULL)) {
		g_autoptr(JsonNode) node = wf_gfh_alice_to_json(&alice);
		wf_fuzz_check(alice.header_size == 36 || alice.header_size == 40);
		wf_fuzz_check(node != NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfGfh) gfh = wf_gfh_new();
	g_autoptr(GError) error = NULL;
	gsize found;

	wf_fuzz_init();
	wf_fuzz_gfh_parts(data, size);
	found = wf_gfh_scan(data, size, 0, 4, 0xFFFF);
	wf_fuzz_check(found == G_MAXSIZE || wf_gfh_is_file_info(data, size, found));
	if (!wf_gfh_parse(gfh, blob, 0, 0, &error)) {
		wf_fuzz_check(wf_gfh_get_records(gfh)->len == 0);
		return 0;
	}
	wf_fuzz_check(wf_gfh_get_file_info(gfh) != NULL);
	wf_fuzz_check(wf_gfh_get_chain_size(gfh) <= size);
	if (wf_gfh_get_file_info(gfh)->file_type == WF_GFH_FILE_VIVA) {
		g_autoptr(GError) error_viva = NULL;
		if (!wf_gfh_parse_viva(gfh, blob, &error_viva))
			wf_fuzz_check(error_viva != NULL);
	}
	{
		g_autoptr(JsonNode) node = wf_gfh_to_json(gfh);
		g_autofree gchar *json = json_to_string(node, FALSE);
		wf_fuzz_check(json != NULL);
	}
	return 0;
}
