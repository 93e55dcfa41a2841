/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WF_TYPE_SIM_FLASH (wf_sim_flash_get_type())
G_DECLARE_FINAL_TYPE(WfSimFlash, wf_sim_flash, WF, SIM_FLASH, GObject)

/* status register bits of a serial NOR */
#define WF_SIM_FLASH_SR_WIP	 0x01
#define WF_SIM_FLASH_SR_WEL	 0x02
#define WF_SIM_FLASH_SR_BP_MASK	 0x3C
#define WF_SIM_FLASH_SR_BP_SHIFT 2

/**
 * WfSimFlashTiming:
 *
 * How long the part keeps WIP set, in microseconds.
 */
typedef struct {
	guint erase_4k_us;
	guint erase_32k_us;
	guint erase_64k_us;
	guint erase_chip_us_per_mib;
	guint program_page_us;
	guint write_status_us;
} WfSimFlashTiming;

void
wf_sim_flash_timing_init_default(WfSimFlashTiming *timing);

WfSimFlash *
wf_sim_flash_new(gsize size, const guint8 jedec[3]);
WfSimFlash *
wf_sim_flash_new_for_file(const gchar *path, const guint8 jedec[3], GError **error);
gboolean
wf_sim_flash_load(WfSimFlash *self, GBytes *image, GError **error);
void
wf_sim_flash_set_timing(WfSimFlash *self, const WfSimFlashTiming *timing);
gsize
wf_sim_flash_get_size(WfSimFlash *self);
const guint8 *
wf_sim_flash_get_jedec(WfSimFlash *self);
guint8
wf_sim_flash_get_status(WfSimFlash *self);
void
wf_sim_flash_set_status(WfSimFlash *self, guint8 status);
gboolean
wf_sim_flash_get_protected_range(WfSimFlash *self, gsize *start, gsize *len);

void
wf_sim_flash_transaction(
	WfSimFlash *self, const guint8 *tx, gsize tx_len, guint8 *rx, gsize rx_len);
void
wf_sim_flash_read_mapped(WfSimFlash *self, guint32 offset, guint8 *buf, gsize len);
guint32
wf_sim_flash_read_mapped32(WfSimFlash *self, guint32 offset);
GBytes *
wf_sim_flash_dup_bytes(WfSimFlash *self);
gboolean
wf_sim_flash_sync(WfSimFlash *self, GError **error);

G_END_DECLS
