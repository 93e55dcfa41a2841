/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A deterministic generator of a realistic MT6261 watch flash image (header
 * block, BOOTLOADER, EXT_BOOTLOADER, MAUI ROM, VIVA with a real LZMA ZIMAGE,
 * NVRAM/file-system tail, everything else erased). It is the virtual
 * watch's default flash and the source of synthetic images for format and
 * profile tests. The layout is described in docs/simulator.md, "Default
 * flash image".
 */

#define WF_SIM_IMAGE_MIB (1024u * 1024u)

/* the largest number of entries the ROM's CMEM_ID_INFO list may hold */
#define WF_SIM_IMAGE_MAX_FLASH_IDS 16

typedef struct {
	gsize flash_size;	   /* 4, 8 or 16 MiB */
	guint8 jedec[3];	   /* the watch's own flash id; always in the CMEM list */
	guint8 me_id[16];	   /* per-watch data in the NVRAM tail is derived from it */
	const gchar *platform;	   /* "MT6261" */
	const gchar *branch;	   /* MAUI branch, "11CW1352MP" */
	const gchar *project;	   /* base project, "GPLUS61A_11C_NX9" */
	const gchar *verno;	   /* build version, at most 63 characters */
	const gchar *build_date;   /* "YYYY/MM/DD HH:MM" */
	const gchar *lcd_driver;   /* LCD driver IC string in ROM, "ST7789"; NULL = none */
	const gchar *touch_driver; /* touch IC string in ROM, "FT6236"; NULL = none */
	/* NULL-terminated list of secret codes; NULL = the MAUI defaults + watch codes */
	const gchar *const *secret_codes;
	const guint8 (*extra_flash_ids)[3]; /* more CMEM entries (duplicates are dropped) */
	guint n_extra_flash_ids;
	gboolean include_header_block; /* FALSE: SF_BOOT/BRLYT erased, a "bricked" watch */
	guint32 bl_offset;	       /* BOOTLOADER, 0x800 */
	guint32 bl_len;		       /* file_len of BOOTLOADER incl. GFH and 0x20 signature */
	guint32 ext_bl_offset;	       /* EXT_BOOTLOADER, 0x2400 */
	guint32 ext_bl_len;
	guint32 rom_offset; /* MAUI ROM, 0xB000 (= BRLYT main_region_dev_addr) */
	guint32 rom_len;
	gboolean include_viva;	 /* VIVA + LZMA ZIMAGE after the ROM */
	gboolean compress_codes; /* secret codes only inside the LZMA part (needs VIVA) */
	gboolean include_fs;	 /* FALSE: the NVRAM/file-system tail is erased */
} WfSimImageSpec;

/* where things went; offsets are flash offsets, lengths are file_len values */
typedef struct {
	guint32 bl_offset, bl_len;
	guint32 ext_bl_offset, ext_bl_len;
	guint32 rom_offset, rom_len;
	guint32 viva_offset, viva_len; /* 0, 0 without VIVA */
	guint32 fs_offset, fs_len;     /* FS base/size as in the ROM's FLASH_INFO */
} WfSimImageLayout;

void
wf_sim_image_spec_init(WfSimImageSpec *spec,
		       gsize flash_size,
		       const guint8 jedec[3],
		       const guint8 me_id[16]);
GBytes *
wf_sim_image_build(const WfSimImageSpec *spec, GError **error);
GBytes *
wf_sim_image_build_default(gsize flash_size,
			   const guint8 jedec[3],
			   const guint8 me_id[16],
			   GError **error);
gboolean
wf_sim_image_get_layout(const WfSimImageSpec *spec, WfSimImageLayout *layout, GError **error);

/* the decompressed content of the ZIMAGE partition this spec produces */
GBytes *
wf_sim_image_get_zimage_payload(const WfSimImageSpec *spec);
/* the 15-digit IMEI (valid Luhn check digit) stored in the NVRAM tail */
gchar *
wf_sim_image_dup_imei(const guint8 me_id[16]);
/* the Bluetooth address stored in the NVRAM tail, most significant byte first */
void
wf_sim_image_get_bt_addr(const guint8 me_id[16], guint8 bt_addr[6]);

G_END_DECLS
