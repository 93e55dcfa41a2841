/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * WfConfidence:
 *
 * How sure the knowledge tables are about a meaning. %WF_CONFIDENCE_UNKNOWN
 * is used for things no table explains: they are shown, never hidden.
 */
typedef enum {
	WF_CONFIDENCE_UNKNOWN,
	WF_CONFIDENCE_LOW,
	WF_CONFIDENCE_MEDIUM,
	WF_CONFIDENCE_HIGH,
} WfConfidence;

const gchar *
wf_confidence_to_string(WfConfidence confidence);
WfConfidence
wf_confidence_from_string(const gchar *str);

#define WF_TYPE_KNOWLEDGE_TABLE (wf_knowledge_table_get_type())
G_DECLARE_FINAL_TYPE(WfKnowledgeTable, wf_knowledge_table, WF, KNOWLEDGE_TABLE, GObject)

/*
 * A set of JSON knowledge files of one kind, e.g. data/codes/ or
 * data/components/. Every file is
 *   {"version": 1, "kind": "<kind>", "sources": {"TAG": {"title": …}, …},
 *    "entries": [{<key>, "meaning": string|null, "confidence": "high|medium|low",
 *                 "sources": ["TAG", "TAG: detail", …], …}, …]}
 * and is validated completely on load, so consumers can trust the shape.
 * The key is "code" for kind "codes"; "token" (exact, case-insensitive) or
 * "pattern" (a regular expression matched against a whole token,
 * case-insensitive) plus a "category" for kind "components".
 */

#define WF_KNOWLEDGE_TABLE_KIND_CODES	   "codes"
#define WF_KNOWLEDGE_TABLE_KIND_COMPONENTS "components"

WfKnowledgeTable *
wf_knowledge_table_new(const gchar *kind);
const gchar *
wf_knowledge_table_get_kind(WfKnowledgeTable *self);
gchar *
wf_knowledge_table_get_data_dir(void);
gboolean
wf_knowledge_table_load_file(WfKnowledgeTable *self, const gchar *filename, GError **error);
gboolean
wf_knowledge_table_load_dir(WfKnowledgeTable *self, const gchar *dirname, GError **error);
gboolean
wf_knowledge_table_load_default(WfKnowledgeTable *self, GError **error);

GPtrArray *
wf_knowledge_table_get_entries(WfKnowledgeTable *self);
GPtrArray *
wf_knowledge_table_get_files(WfKnowledgeTable *self);
JsonObject *
wf_knowledge_table_lookup(WfKnowledgeTable *self, const gchar *key);
JsonObject *
wf_knowledge_table_lookup_exact(WfKnowledgeTable *self, const gchar *key);
JsonArray *
wf_knowledge_table_dup_entry_sources(WfKnowledgeTable *self, JsonObject *entry);

const gchar *
wf_knowledge_entry_get_string(JsonObject *entry, const gchar *member);
WfConfidence
wf_knowledge_entry_get_confidence(JsonObject *entry);

G_END_DECLS
