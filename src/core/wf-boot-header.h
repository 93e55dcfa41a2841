/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WF_TYPE_BOOT_HEADER (wf_boot_header_get_type())
G_DECLARE_FINAL_TYPE(WfBootHeader, wf_boot_header, WF, BOOT_HEADER, GObject)

/*
 * The header block at serial-flash offset 0 (firmware-formats.md §2.2): a
 * 20-byte SF_BOOT header whose dev_rw_unit points at a 180-byte BRLYT
 * boot-region layout with up to eight bootloader descriptors. The Download
 * Agent refuses to write main-region files (S_DA_HEADER_BLOCK_NOT_EXIST)
 * and reports a blank flash when this block is missing, so backups check
 * it and rebuilds write it.
 */

#define WF_BOOT_HEADER_SF_SIZE	   20
#define WF_BOOT_HEADER_BRLYT_SIZE  180
#define WF_BOOT_HEADER_DEV_RW_UNIT 0x200 /* also the BRLYT offset */
#define WF_BOOT_HEADER_MAX_BL	   8
#define WF_BOOT_HEADER_BL_MAGIC	   0x42424242 /* "BBBB" */
#define WF_BOOT_HEADER_DEVICE_SF   7
#define WF_BOOT_HEADER_MIN_SIZE	   (WF_BOOT_HEADER_DEV_RW_UNIT + WF_BOOT_HEADER_BRLYT_SIZE)

typedef enum {
	WF_BOOT_HEADER_STATE_UNKNOWN, /* not parsed yet */
	WF_BOOT_HEADER_STATE_VALID,   /* SF_BOOT, BRLYT and at least one bootloader */
	WF_BOOT_HEADER_STATE_ERASED,  /* all 0xFF: a blank or erased flash */
	WF_BOOT_HEADER_STATE_NONE,    /* no SF_BOOT: something else is at offset 0 */
	WF_BOOT_HEADER_STATE_DAMAGED, /* SF_BOOT present, the layout is not usable */
} WfBootHeaderState;

/* one BL descriptor */
typedef struct {
	guint8 device;	   /* 7 = serial flash */
	guint16 file_type; /* 1 = ARM_BL, 2 = ARM_EXT_BL */
	guint32 begin;	   /* flash offset */
	guint32 boundary;  /* begin + length */
	guint32 attribute; /* 1 */
} WfBootHeaderBl;

const gchar *
wf_boot_header_state_to_string(WfBootHeaderState state);

WfBootHeader *
wf_boot_header_new(void);
gboolean
wf_boot_header_parse(WfBootHeader *self, GBytes *blob, GError **error);
WfBootHeader *
wf_boot_header_new_from_bytes(GBytes *blob, GError **error);

WfBootHeaderState
wf_boot_header_get_state(WfBootHeader *self);
guint32
wf_boot_header_get_sf_version(WfBootHeader *self);
guint32
wf_boot_header_get_dev_rw_unit(WfBootHeader *self);
guint32
wf_boot_header_get_brlyt_version(WfBootHeader *self);
guint32
wf_boot_header_get_boot_region_addr(WfBootHeader *self);
guint32
wf_boot_header_get_main_region_addr(WfBootHeader *self);
GArray *
wf_boot_header_get_bls(WfBootHeader *self);
guint32
wf_boot_header_get_boot_style(WfBootHeader *self);
GPtrArray *
wf_boot_header_get_warnings(WfBootHeader *self);
JsonNode *
wf_boot_header_to_json(WfBootHeader *self);

GBytes *
wf_boot_header_build(guint32 main_region_addr,
		     const WfBootHeaderBl *bls,
		     guint n_bls,
		     GError **error);

G_END_DECLS
