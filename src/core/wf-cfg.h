/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WF_TYPE_CFG (wf_cfg_get_type())
G_DECLARE_FINAL_TYPE(WfCfg, wf_cfg, WF, CFG, GObject)

/*
 * The SP Flash Tool 5.x ".cfg" (the "SV5" config that MediaTek's cfgGen.pl
 * writes next to a MAUI build for MT6260/MT6261/MT2502), see
 * firmware-formats.md §1.2. It names the files of each region in download
 * order and the serial-flash chips the firmware supports; it holds no
 * addresses (those come from the GFH headers inside the files).
 */

/* the largest .cfg we read; real ones are ~4 KiB */
#define WF_CFG_MAX_SIZE (1024 * 1024)

typedef enum {
	WF_CFG_REGION_BOOT,	     /* boot_region: bootloaders */
	WF_CFG_REGION_CONTROL_BLOCK, /* control_block_region: SECURE_RO */
	WF_CFG_REGION_MAIN,	     /* main_region: ROM, VIVA, customer bins */
	WF_CFG_REGION_GPS_MODULE,    /* gps_module_region: e.g. MT3333.bin */
	WF_CFG_REGION_FILE_SYSTEM,   /* file_system_region: *.IM images */
	WF_CFG_REGION_LAST
} WfCfgRegion;

/* one external_memory.parameters item ("# EMI n") */
typedef struct {
	gchar *flash_type;  /* "SF", "NOR", "NAND", "SPI_NAND" */
	guint id_length;    /* how many bytes of flash_id are significant */
	guint8 flash_id[8]; /* JEDEC ID first, zero padded */
	gchar *memory_type; /* e.g. "PSRAM_130MHz", may be NULL */
	gchar *emi_setting; /* EMI_Setting text, empty on MT6260/61, may be NULL */
	/* other keys of the item (flash_frequency, SPI_NAND_FLASH_Setting, …)
	 * as "key: value" text blocks, written back in order */
	GPtrArray *extra; /* (element-type utf8) */
} WfCfgEmi;

WfCfgEmi *
wf_cfg_emi_new(void);
WfCfgEmi *
wf_cfg_emi_copy(const WfCfgEmi *emi);
void
wf_cfg_emi_free(WfCfgEmi *emi);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfCfgEmi, wf_cfg_emi_free)

const gchar *
wf_cfg_region_to_string(WfCfgRegion region);

WfCfg *
wf_cfg_new(void);
gboolean
wf_cfg_parse(WfCfg *self, GBytes *blob, GError **error);
WfCfg *
wf_cfg_new_from_bytes(GBytes *blob, GError **error);
WfCfg *
wf_cfg_new_from_file(const gchar *filename, GError **error);
gchar *
wf_cfg_to_string(WfCfg *self);
JsonNode *
wf_cfg_to_json(WfCfg *self);

const gchar *
wf_cfg_get_config_version(WfCfg *self);
void
wf_cfg_set_config_version(WfCfg *self, const gchar *config_version);
const gchar *
wf_cfg_get_platform(WfCfg *self);
void
wf_cfg_set_platform(WfCfg *self, const gchar *platform);

gboolean
wf_cfg_has_region(WfCfg *self, WfCfgRegion region);
void
wf_cfg_set_has_region(WfCfg *self, WfCfgRegion region, gboolean present);
const gchar *
wf_cfg_get_alignment(WfCfg *self, WfCfgRegion region);
void
wf_cfg_set_alignment(WfCfg *self, WfCfgRegion region, const gchar *alignment);
GPtrArray *
wf_cfg_get_files(WfCfg *self, WfCfgRegion region);
void
wf_cfg_add_file(WfCfg *self, WfCfgRegion region, const gchar *file);
void
wf_cfg_clear_files(WfCfg *self, WfCfgRegion region);
gchar *
wf_cfg_file_to_unix_path(const gchar *file);

gboolean
wf_cfg_has_external_memory(WfCfg *self);
const gchar *
wf_cfg_get_parameters_version(WfCfg *self);
void
wf_cfg_set_parameters_version(WfCfg *self, const gchar *parameters_version);
GPtrArray *
wf_cfg_get_emis(WfCfg *self);
void
wf_cfg_add_emi(WfCfg *self, const WfCfgEmi *emi);
void
wf_cfg_clear_emis(WfCfg *self);

GPtrArray *
wf_cfg_get_extra_sections(WfCfg *self);

G_END_DECLS
