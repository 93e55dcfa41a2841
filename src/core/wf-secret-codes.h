/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-knowledge-table.h"

G_BEGIN_DECLS

/* bounds for untrusted images: a 16 MiB blob of '*#1#' must not eat memory */
#define WF_SECRET_CODES_MAX_CODES	4096
#define WF_SECRET_CODES_MAX_OCCURRENCES 32

/**
 * WfSecretCodesScanFlags:
 * @WF_SECRET_CODES_SCAN_ASCII: look for 8-bit text (how MAUI stores codes)
 * @WF_SECRET_CODES_SCAN_UTF16LE: also look for UTF-16LE text, both alignments
 */
typedef enum {
	WF_SECRET_CODES_SCAN_ASCII = 1 << 0,
	WF_SECRET_CODES_SCAN_UTF16LE = 1 << 1,
} WfSecretCodesScanFlags;

#define WF_SECRET_CODES_SCAN_DEFAULT (WF_SECRET_CODES_SCAN_ASCII | WF_SECRET_CODES_SCAN_UTF16LE)

/**
 * WfSecretCodeOccurrence:
 * @region: the region name the caller gave, e.g. "ROM" (owned by the scanner)
 * @offset: byte offset of the first character inside that region
 * @utf16: %TRUE if found as UTF-16LE text
 */
typedef struct {
	const gchar *region;
	gsize offset;
	gboolean utf16;
} WfSecretCodeOccurrence;

/**
 * WfSecretCode:
 * @code: the dial string, e.g. "*#8375#"
 * @entry: (nullable): the knowledge-table entry, %NULL if the code is unknown
 * @occurrences: (element-type WfSecretCodeOccurrence): the first
 *   %WF_SECRET_CODES_MAX_OCCURRENCES places it was found
 * @count: how many times it was found in all
 *
 * One distinct code found by a #WfSecretCodes scan; read-only.
 */
typedef struct {
	gchar *code;
	JsonObject *entry;
	GArray *occurrences;
	guint count;
} WfSecretCode;

const gchar *
wf_secret_code_get_meaning(const WfSecretCode *code);
const gchar *
wf_secret_code_get_name(const WfSecretCode *code);
const gchar *
wf_secret_code_get_category(const WfSecretCode *code);
WfConfidence
wf_secret_code_get_confidence(const WfSecretCode *code);
gboolean
wf_secret_code_is_network_string(const WfSecretCode *code);

#define WF_TYPE_SECRET_CODES (wf_secret_codes_get_type())
G_DECLARE_FINAL_TYPE(WfSecretCodes, wf_secret_codes, WF, SECRET_CODES, GObject)

WfSecretCodes *
wf_secret_codes_new(WfKnowledgeTable *table);
gsize
wf_secret_codes_match(const guint8 *buf, gsize bufsz, gsize pos, gsize *start);
void
wf_secret_codes_scan(WfSecretCodes *self,
		     const gchar *region,
		     const guint8 *buf,
		     gsize bufsz,
		     WfSecretCodesScanFlags flags);
guint
wf_secret_codes_scan_image(WfSecretCodes *self,
			   const gchar *region,
			   const guint8 *buf,
			   gsize bufsz,
			   WfSecretCodesScanFlags flags);
gboolean
wf_secret_codes_scan_lzma(WfSecretCodes *self,
			  const gchar *region,
			  const guint8 *buf,
			  gsize bufsz,
			  GBytes *preset,
			  gsize max_output,
			  WfSecretCodesScanFlags flags,
			  GError **error);
void
wf_secret_codes_add_compressed_part(WfSecretCodes *self,
				    const gchar *name,
				    const gchar *format,
				    gboolean scanned);

GPtrArray *
wf_secret_codes_get_codes(WfSecretCodes *self);
const WfSecretCode *
wf_secret_codes_lookup(WfSecretCodes *self, const gchar *code);
GPtrArray *
wf_secret_codes_get_warnings(WfSecretCodes *self);
gboolean
wf_secret_codes_get_truncated(WfSecretCodes *self);
JsonNode *
wf_secret_codes_to_json(WfSecretCodes *self);

G_END_DECLS
