/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WF_TYPE_DA_FILE (wf_da_file_get_type())
G_DECLARE_FINAL_TYPE(WfDaFile, wf_da_file, WF, DA_FILE, GObject)

/*
 * A MediaTek Download Agent file (protocol.md §4): either the
 * MTK_AllInOne_DA.bin container that every firmware pack and SP Flash Tool
 * ships (a header, then one entry per chip, each pointing at its regions:
 * stage 1, stage 2 and the NOR flash table for the feature-phone DA), or a
 * "flat" extraction (stage 1 + stage 2 + flash table back to back) whose
 * layout the caller names (docs/download-agent.md). The file is untrusted:
 * every offset is checked against its size. Wristflash never ships one.
 */

#define WF_DA_FILE_NAME		  "MTK_AllInOne_DA.bin"
#define WF_DA_FILE_MAGIC	  "MTK_DOWNLOAD_AGENT"
#define WF_DA_FILE_HEADER_MAGIC	  0x22668899
#define WF_DA_FILE_ENTRY_MAGIC	  0xDADA
#define WF_DA_FILE_HEADER_SIZE	  0x6C
#define WF_DA_FILE_ENTRY_SIZE_OLD 0xD8
#define WF_DA_FILE_ENTRY_SIZE_NEW 0xDC
#define WF_DA_FILE_MAX_REGIONS	  10
#define WF_DA_FILE_MAX_ENTRIES	  512
#define WF_DA_FILE_MAX_SIZE	  (64 * 1024 * 1024)
#define WF_DA_FLASH_RECORD_SIZE	  36
/* first u32 of the record that ends a flat file's flash table */
#define WF_DA_FLASH_RECORD_TERMINATOR 0x0000FFFF

typedef enum {
	WF_DA_FILE_KIND_ALL_IN_ONE, /* MTK_AllInOne_DA.bin container */
	WF_DA_FILE_KIND_FLAT,	    /* stage 1 + stage 2 + flash table */
} WfDaFileKind;

typedef struct {
	guint32 offset;	      /* m_buf: where the bytes are in the file */
	guint32 length;	      /* m_len, signature tail included */
	guint32 load_addr;    /* m_start_addr */
	guint32 start_offset; /* m_start_offset */
	guint32 sig_len;      /* m_sig_len */
} WfDaRegion;

typedef struct {
	guint index; /* position in the file */
	guint16 hw_code;
	guint16 hw_sub_code;
	guint16 hw_version;
	guint16 sw_version; /* 0 in old 0xD8-byte entries */
	guint16 page_size;
	guint16 region_index; /* first region to send: stage 1 */
	guint16 region_count;
	WfDaRegion regions[WF_DA_FILE_MAX_REGIONS];
	/* why the feature-phone start sequence cannot use this entry, or NULL */
	const gchar *problem;
} WfDaEntry;

/* where the parts of a flat DA file are (docs/download-agent.md) */
typedef struct {
	guint32 stage1_len;
	guint32 stage2_len;
	guint32 table_offset;	/* 0: right after stage 2 */
	guint32 stage1_addr;	/* 0: 0x70007000 */
	guint32 stage2_addr;	/* 0: 0x10020000 */
	guint32 stage1_sig_len; /* bytes the boot ROM treats as signature */
	guint32 stage2_sig_len;
	guint16 hw_code; /* chip the file is for; 0 = do not check */
} WfDaFlatLayout;

#define WF_DA_STAGE1_ADDR 0x70007000
#define WF_DA_STAGE2_ADDR 0x10020000

const WfDaFlatLayout *
wf_da_flat_layout_get_wiz(void);
gboolean
wf_da_flat_layout_parse(const gchar *text, WfDaFlatLayout *layout, GError **error);

WfDaFile *
wf_da_file_new(void);
gboolean
wf_da_file_parse(WfDaFile *self, GBytes *blob, GError **error);
gboolean
wf_da_file_parse_flat(WfDaFile *self, GBytes *blob, const WfDaFlatLayout *layout, GError **error);
WfDaFile *
wf_da_file_new_from_bytes(GBytes *blob, const WfDaFlatLayout *flat, GError **error);
WfDaFile *
wf_da_file_new_from_path(const gchar *path, const WfDaFlatLayout *flat, GError **error);

WfDaFileKind
wf_da_file_get_kind(WfDaFile *self);
const gchar *
wf_da_file_get_path(WfDaFile *self);
const gchar *
wf_da_file_get_identifier(WfDaFile *self);
const gchar *
wf_da_file_get_build(WfDaFile *self);
guint
wf_da_file_get_entry_size(WfDaFile *self);
guint
wf_da_file_get_n_entries(WfDaFile *self);
const WfDaEntry *
wf_da_file_get_entry(WfDaFile *self, guint idx);

const WfDaEntry *
wf_da_file_select(WfDaFile *self,
		  guint16 hw_code,
		  guint16 hw_sub_code,
		  guint16 hw_version,
		  guint16 sw_version,
		  GError **error);

/* the three regions the feature-phone start sequence uses (§4.3) */
const WfDaRegion *
wf_da_entry_get_stage1(const WfDaEntry *entry);
const WfDaRegion *
wf_da_entry_get_stage2(const WfDaEntry *entry);
const WfDaRegion *
wf_da_entry_get_flash_table(const WfDaEntry *entry);

GBytes *
wf_da_file_get_region_bytes(WfDaFile *self, const WfDaRegion *region);
guint
wf_da_file_get_n_flash_records(WfDaFile *self, const WfDaEntry *entry);

JsonNode *
wf_da_file_to_json(WfDaFile *self);

gchar *
wf_da_file_find(const gchar *near_path, GError **error);

gboolean
wf_da_file_remember_choice(const gchar *path, GError **error);

G_END_DECLS
