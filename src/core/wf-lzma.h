/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* 5 property bytes (props + u32 dictionary size) + u64 unpacked size */
#define WF_LZMA_ALONE_HEADER_SIZE 13
/* the unpacked-size field's value for "unknown, an end marker follows" */
#define WF_LZMA_SIZE_UNKNOWN G_MAXUINT64
/* default output cap: 4x the largest (16 MiB) watch flash */
#define WF_LZMA_DEFAULT_MAX_OUTPUT (64 * 1024 * 1024)
/* dictionary buffers are allocated up front: refuse silly headers */
#define WF_LZMA_MAX_DICT_SIZE (64 * 1024 * 1024)
/* MediaTek caps the type-3 ZIMAGE preset dictionary at 4 MiB */
#define WF_LZMA_MAX_PRESET_SIZE (16 * 1024 * 1024)

#define WF_LZMA_ALICE_HEADER_SIZE 40

/**
 * WfLzmaStatus:
 * @WF_LZMA_STATUS_NONE: nothing decoded yet
 * @WF_LZMA_STATUS_COMPLETE: the whole stream was decoded
 * @WF_LZMA_STATUS_TRUNCATED: the input ended before the stream did
 * @WF_LZMA_STATUS_CORRUPT: the decoder hit invalid data
 * @WF_LZMA_STATUS_TOO_LARGE: the output would exceed the cap
 * @WF_LZMA_STATUS_UNSUPPORTED: bad header, ALICE data or unsupported options
 *
 * After TRUNCATED and CORRUPT the bytes decoded so far are kept: for
 * identification (strings, codes) a partial image is still useful.
 */
typedef enum {
	WF_LZMA_STATUS_NONE,
	WF_LZMA_STATUS_COMPLETE,
	WF_LZMA_STATUS_TRUNCATED,
	WF_LZMA_STATUS_CORRUPT,
	WF_LZMA_STATUS_TOO_LARGE,
	WF_LZMA_STATUS_UNSUPPORTED,
} WfLzmaStatus;

const gchar *
wf_lzma_status_to_string(WfLzmaStatus status);

#define WF_TYPE_LZMA (wf_lzma_get_type())
G_DECLARE_FINAL_TYPE(WfLzma, wf_lzma, WF, LZMA, GObject)

/*
 * One LZMA decode of an untrusted stream and its result. Error codes:
 * %WF_ERROR_INVALID_FILE for a bad header or a truncated stream,
 * %WF_ERROR_INVALID_DATA for corrupt data, %WF_ERROR_REFUSED when the output
 * cap or dictionary limit would be exceeded, %WF_ERROR_NOT_SUPPORTED for
 * ALICE-compressed input (no decoder exists here).
 */

WfLzma *
wf_lzma_new(void);
void
wf_lzma_set_max_output(WfLzma *self, gsize max_output);
gsize
wf_lzma_get_max_output(WfLzma *self);
void
wf_lzma_set_preset_dict(WfLzma *self, GBytes *preset);

gboolean
wf_lzma_decode(WfLzma *self, const guint8 *buf, gsize bufsz, GError **error);
gboolean
wf_lzma_decode_raw(WfLzma *self,
		   const guint8 *buf,
		   gsize bufsz,
		   guint8 props,
		   guint32 dict_size,
		   guint64 unpacked_size,
		   GError **error);

WfLzmaStatus
wf_lzma_get_status(WfLzma *self);
GBytes *
wf_lzma_get_output(WfLzma *self);
gsize
wf_lzma_get_input_consumed(WfLzma *self);
guint8
wf_lzma_get_props(WfLzma *self);
guint32
wf_lzma_get_dict_size(WfLzma *self);
guint64
wf_lzma_get_unpacked_size(WfLzma *self);
JsonNode *
wf_lzma_to_json(WfLzma *self);

/**
 * WfLzmaAliceHeader:
 * @offset: offset of the "ALICE_n" magic in the buffer searched
 * @version: 1 or 2
 * @base: address of the compressed stream (header address + 40)
 * @map_addr: address of the mapping table
 * @dict_addr: address of the halfword dictionary
 * @ranges: bit widths of the 7 index classes
 * @block_size: output group size (0x40 seen), ALICE_2 only, else 0
 *
 * The header of MediaTek's ALICE code compression. ALICE is not LZMA and is
 * not decoded here; it is detected so that callers can say so.
 */
typedef struct {
	gsize offset;
	guint version;
	guint32 base;
	guint32 map_addr;
	guint32 dict_addr;
	guint16 ranges[7];
	guint16 block_size;
} WfLzmaAliceHeader;

gboolean
wf_lzma_is_alice(const guint8 *buf, gsize bufsz);
gboolean
wf_lzma_parse_alice_header(const guint8 *buf, gsize bufsz, WfLzmaAliceHeader *hdr, GError **error);
GArray *
wf_lzma_find_alice(const guint8 *buf, gsize bufsz, guint max_hits);
JsonNode *
wf_lzma_alice_header_to_json(const WfLzmaAliceHeader *hdr);

G_END_DECLS
