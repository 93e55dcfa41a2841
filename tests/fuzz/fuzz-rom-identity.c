/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-fuzz.h"
#include "wf-rom-identity.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfRomIdentity) id = wf_rom_identity_new();
	g_autoptr(GError) error = NULL;

	wf_fuzz_init();
	if (!wf_rom_identity_parse(id, blob, &error)) {
		wf_fuzz_check(wf_rom_identity_get_platform(id) == NULL);
		return 0;
	}
	for (guint i = 0; i < WF_ROM_IDENTITY_FIELD_LAST; i++) {
		const gchar *value = wf_rom_identity_get(id, i);
		if (value != NULL)
			wf_fuzz_check(g_utf8_validate(value, -1, NULL));
	}
	{
		g_autoptr(JsonNode) node = wf_rom_identity_to_json(id);
		g_autofree gchar *json = json_to_string(node, FALSE);
		wf_fuzz_check(json != NULL);
	}
	return 0;
}
