/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-dump.h"
#include "wf-fuzz.h"

/* a dump or single binary: GFH walk, header block, FS region, gaps, VIVA
 * parts and LZMA decoding, identity */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfDump) dump = wf_dump_new();
	g_autoptr(GError) error = NULL;
	GPtrArray *regions;
	GPtrArray *parts;
	guint64 pos = 0;

	wf_fuzz_init();
	if (!wf_dump_parse(dump, blob, &error)) {
		wf_fuzz_check(error != NULL && wf_dump_get_bytes(dump) == NULL);
		return 0;
	}
	/* the regions tile the image exactly */
	regions = wf_dump_get_regions(dump);
	for (guint i = 0; i < regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(regions, i);
		wf_fuzz_check(r->offset == pos && r->length > 0);
		pos += r->length;
	}
	wf_fuzz_check(pos == size);
	wf_fuzz_check(regions->len <= 2 * WF_DUMP_MAX_EXTRAS + 3 * size / 0x38 + 8);
	parts = wf_dump_get_compressed_parts(dump);
	for (guint i = 0; i < parts->len; i++) {
		WfDumpCompressedPart *p = g_ptr_array_index(parts, i);
		wf_fuzz_check(p->offset < size);
		wf_fuzz_check(p->output == NULL ||
			      g_bytes_get_size(p->output) <= WF_DUMP_MAX_DECODED);
	}
	{
		g_autoptr(JsonNode) node = wf_dump_to_json(dump);
		g_autofree gchar *json = json_to_string(node, FALSE);
		wf_fuzz_check(json != NULL && g_utf8_validate(json, -1, NULL));
	}
	return 0;
}
