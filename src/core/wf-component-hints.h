/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-knowledge-table.h"

G_BEGIN_DECLS

/* version strings are short; anything longer is cut before tokenising */
#define WF_COMPONENT_HINTS_MAX_STRING 512
/* one token per driver name is kept for an image, with a count */
#define WF_COMPONENT_HINTS_MAX_STRINGS 64

/* categories decoded in code rather than from the table */
#define WF_COMPONENT_CATEGORY_UNKNOWN	 "unknown"
#define WF_COMPONENT_CATEGORY_VERSION	 "version"
#define WF_COMPONENT_CATEGORY_BUILD_DATE "build-date"
#define WF_COMPONENT_CATEGORY_BUILD_TIME "build-time"
#define WF_COMPONENT_CATEGORY_MAUI_WEEK	 "maui-week"

/**
 * WfComponentToken:
 * @text: the token as written, e.g. "7789HSD", "V02_1", "2019/09/17"
 * @origin: the label of the string it came from ("verno", "branch", …) or
 *   "image:<region>" for a driver name found in an image
 * @offset: byte offset in that string or image
 * @category: "lcd", "touch", "panel", "board", "region", "model", "platform",
 *   "version", "build-date", … from the table, or "unknown"
 * @value: (nullable): the decoded value: a part ("ST7789"), "V02.91",
 *   "2019-09-17"; %NULL when the table gives no part
 * @confidence: how sure the meaning is; %WF_CONFIDENCE_UNKNOWN for unknown
 * @entry: (nullable): the knowledge-table entry
 * @count: occurrences (image evidence only; 1 for string tokens)
 *
 * One decoded token; read-only.
 */
typedef struct {
	gchar *text;
	const gchar *origin;
	gsize offset;
	const gchar *category;
	gchar *value;
	WfConfidence confidence;
	JsonObject *entry;
	guint count;
} WfComponentToken;

const gchar *
wf_component_token_get_meaning(const WfComponentToken *token);

#define WF_TYPE_COMPONENT_HINTS (wf_component_hints_get_type())
G_DECLARE_FINAL_TYPE(WfComponentHints, wf_component_hints, WF, COMPONENT_HINTS, GObject)

WfComponentHints *
wf_component_hints_new(WfKnowledgeTable *table);
void
wf_component_hints_add_string(WfComponentHints *self, const gchar *origin, const gchar *text);
void
wf_component_hints_scan_image(WfComponentHints *self,
			      const gchar *region,
			      const guint8 *buf,
			      gsize bufsz);

GPtrArray *
wf_component_hints_get_tokens(WfComponentHints *self);
GPtrArray *
wf_component_hints_get_image_evidence(WfComponentHints *self);
const WfComponentToken *
wf_component_hints_get_best(WfComponentHints *self, const gchar *category);
const gchar *
wf_component_hints_get_platform(WfComponentHints *self, WfConfidence *confidence);
JsonNode *
wf_component_hints_to_json(WfComponentHints *self);

G_END_DECLS
