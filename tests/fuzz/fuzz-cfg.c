/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-cfg.h"
#include "wf-fuzz.h"

static gchar *
wf_fuzz_cfg_json(WfCfg *cfg)
{
	g_autoptr(JsonNode) node = wf_cfg_to_json(cfg);
	return json_to_string(node, FALSE);
}

/* parse; whatever parses must write back to text that parses to the same
 * fields and writes back identically (the split feature relies on it) */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(WfCfg) cfg = wf_cfg_new();
	g_autoptr(WfCfg) again = wf_cfg_new();
	g_autoptr(GBytes) text_blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *text2 = NULL;
	g_autofree gchar *json1 = NULL;
	g_autofree gchar *json2 = NULL;

	wf_fuzz_init();
	if (!wf_cfg_parse(cfg, blob, &error)) {
		wf_fuzz_check(error != NULL && error->message != NULL);
		return 0;
	}
	text = wf_cfg_to_string(cfg);
	/* normalised indentation and the banners can push a near-limit input
	 * over the parser's size limit; the property holds below it */
	if (strlen(text) > WF_CFG_MAX_SIZE)
		return 0;
	text_blob = g_bytes_new_static(text, strlen(text));
	if (!wf_cfg_parse(again, text_blob, &error)) {
		g_printerr("written cfg does not parse: %s\n%s\n", error->message, text);
		abort();
	}
	json1 = wf_fuzz_cfg_json(cfg);
	json2 = wf_fuzz_cfg_json(again);
	if (g_strcmp0(json1, json2) != 0) {
		g_printerr("round trip changed fields:\n%s\n%s\n", json1, json2);
		abort();
	}
	text2 = wf_cfg_to_string(again);
	wf_fuzz_check(g_strcmp0(text, text2) == 0);
	return 0;
}
