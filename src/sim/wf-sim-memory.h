/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-flash.h"
#include "wf-sim-sfi.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_MEMORY (wf_sim_memory_get_type())
G_DECLARE_FINAL_TYPE(WfSimMemory, wf_sim_memory, WF, SIM_MEMORY, GObject)

/* the bus of the chip, protocol.md §3.6–§3.8 */
#define WF_SIM_SRAM_BASE	0x70000000u
#define WF_SIM_SRAM_SIZE	0xD000u
#define WF_SIM_PSRAM_SIZE	(4u * 1024 * 1024)
#define WF_SIM_BANK_SIZE	0x10000000u
#define WF_SIM_CHIPID_BASE	0x80000000u
#define WF_SIM_PERIPH_BASE	0xA0000000u
#define WF_SIM_PERIPH_END	0xAFFFFFFFu
#define WF_SIM_REG_WDT_MODE	0xA0030000u
#define WF_SIM_REG_WDT_SWRST	0xA003001Cu
#define WF_SIM_REG_EFUSE_108	0xA01C0108u
#define WF_SIM_REG_REMAP	0xA0510000u
#define WF_SIM_REG_CHARGER_WDT	0xA0700A24u
#define WF_SIM_REG_PMU_A14	0xA0700A14u
#define WF_SIM_REG_RTC_BBPU	0xA0710000u
#define WF_SIM_SWRST_KEY	0x1209u
#define WF_SIM_REMAP_FLASH_AT_0 2u

/**
 * WfSimChip:
 *
 * The identity block of one chip (read with A2/D0 at 0x80000000…).
 */
typedef struct {
	const gchar *name;
	guint16 hw_version; /* 0x80000000 */
	guint16 sw_version; /* 0x80000004 */
	guint16 hw_code;    /* 0x80000008 */
	guint16 hw_subcode; /* 0x8000000C */
	guint32 efuse_108;  /* 0xA01C0108 */
} WfSimChip;

const WfSimChip *
wf_sim_chip_lookup(const gchar *name);

WfSimMemory *
wf_sim_memory_new(WfSimFlash *flash, const WfSimChip *chip);
WfSimFlash *
wf_sim_memory_get_flash(WfSimMemory *self);
WfSimSfi *
wf_sim_memory_get_sfi(WfSimMemory *self);
const WfSimChip *
wf_sim_memory_get_chip(WfSimMemory *self);

guint32
wf_sim_memory_read32(WfSimMemory *self, guint32 addr);
guint16
wf_sim_memory_read16(WfSimMemory *self, guint32 addr);
void
wf_sim_memory_write32(WfSimMemory *self, guint32 addr, guint32 value);
void
wf_sim_memory_write16(WfSimMemory *self, guint32 addr, guint16 value);
void
wf_sim_memory_read_bytes(WfSimMemory *self, guint32 addr, guint8 *buf, gsize len);
void
wf_sim_memory_write_bytes(WfSimMemory *self, guint32 addr, const guint8 *buf, gsize len);

guint32
wf_sim_memory_get_remap(WfSimMemory *self);
gboolean
wf_sim_memory_take_reset_request(WfSimMemory *self);
gint64
wf_sim_memory_get_charger_kick_time(WfSimMemory *self);
gboolean
wf_sim_memory_get_watchdog_enabled(WfSimMemory *self);

G_END_DECLS
