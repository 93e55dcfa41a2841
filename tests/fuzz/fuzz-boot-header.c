/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-boot-header.h"
#include "wf-fuzz.h"

/* parse; a layout the builder accepts must come back unchanged */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfBootHeader) hdr = wf_boot_header_new();
	g_autoptr(WfBootHeader) again = wf_boot_header_new();
	g_autoptr(GBytes) built = NULL;
	g_autoptr(JsonNode) node = NULL;
	GArray *bls;

	wf_fuzz_init();
	if (!wf_boot_header_parse(hdr, blob, NULL)) {
		wf_fuzz_check(size < WF_BOOT_HEADER_SF_SIZE);
		return 0;
	}
	node = wf_boot_header_to_json(hdr);
	wf_fuzz_check(node != NULL);
	if (wf_boot_header_get_state(hdr) != WF_BOOT_HEADER_STATE_VALID)
		return 0;
	bls = wf_boot_header_get_bls(hdr);
	wf_fuzz_check(bls->len >= 1 && bls->len <= WF_BOOT_HEADER_MAX_BL);
	built = wf_boot_header_build(wf_boot_header_get_main_region_addr(hdr),
				     (const WfBootHeaderBl *)bls->data,
				     bls->len,
				     NULL);
	if (built == NULL)
		return 0;
	wf_fuzz_check(wf_boot_header_parse(again, built, NULL));
	wf_fuzz_check(wf_boot_header_get_state(again) == WF_BOOT_HEADER_STATE_VALID);
	wf_fuzz_check(wf_boot_header_get_main_region_addr(again) ==
		      wf_boot_header_get_main_region_addr(hdr));
	wf_fuzz_check(wf_boot_header_get_bls(again)->len == bls->len);
	wf_fuzz_check(memcmp(wf_boot_header_get_bls(again)->data,
			     bls->data,
			     bls->len * sizeof(WfBootHeaderBl)) == 0);
	return 0;
}
