/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-flash.h"

G_BEGIN_DECLS

/* the erase units the emulated DA uses (SPI-NOR 0x20 and 0xD8) */
#define WF_SIM_DA_FLASH_SECTOR 0x1000u
#define WF_SIM_DA_FLASH_BLOCK  0x10000u

/**
 * WfSimDaHeaderBlock:
 * @boot_style: 0x400 | device of the boot-region layout (0x407 = serial flash)
 * @brlyt_offset: where the BRLYT record is (the SF header's dev_rw_unit)
 * @boot_region: BRLYT boot_region_dev_addr (the first bootloader)
 * @main_region: BRLYT main_region_dev_addr (the MAUI ROM)
 *
 * What the DA takes from a valid header block (firmware-formats.md §2.2).
 */
typedef struct {
	guint32 boot_style;
	guint32 brlyt_offset;
	guint32 boot_region;
	guint32 main_region;
} WfSimDaHeaderBlock;

/**
 * WfSimDaEraseUnit:
 * @offset: flash offset, aligned to @size
 * @size: %WF_SIM_DA_FLASH_SECTOR or %WF_SIM_DA_FLASH_BLOCK
 */
typedef struct {
	guint32 offset;
	guint32 size;
} WfSimDaEraseUnit;

void
wf_sim_da_flash_probe(WfSimFlash *flash, guint8 qpi_id[3], guint8 jedec[3]);
gboolean
wf_sim_da_flash_unlock(WfSimFlash *flash);
GArray *
wf_sim_da_flash_plan_erase(guint32 start, guint32 end);
gboolean
wf_sim_da_flash_erase_unit(WfSimFlash *flash,
			   const WfSimDaEraseUnit *unit,
			   guint32 start,
			   guint32 end);
gboolean
wf_sim_da_flash_program(WfSimFlash *flash, guint32 offset, const guint8 *data, gsize len);
gboolean
wf_sim_da_flash_parse_header_block(WfSimFlash *flash, WfSimDaHeaderBlock *header);
gboolean
wf_sim_da_flash_find_gfh(WfSimFlash *flash,
			 guint32 chain_offset,
			 guint16 type,
			 guint32 *record_offset,
			 guint16 *record_size);
gboolean
wf_sim_da_flash_get_verno(WfSimFlash *flash, guint32 rom_offset, gchar verno[65]);
gboolean
wf_sim_da_flash_get_fs_region(WfSimFlash *flash, guint32 rom_offset, guint32 *base, guint32 *size);

G_END_DECLS
