/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Defaults of the virtual watch; docs/simulator.md says where each comes from. */
#define WF_SIM_DEFAULT_FLASH_SIZE	(8 * 1024 * 1024)
#define WF_SIM_DEFAULT_RATE		1000000 /* bytes per second, each way */
#define WF_SIM_DEFAULT_TURNAROUND_US	1000	/* host→watch→host, split evenly */
#define WF_SIM_DEFAULT_LIFETIME_MS	3500	/* protocol.md §1.4 [W] */
#define WF_SIM_DEFAULT_REAPPEAR_GAP_MS	50
#define WF_SIM_DEFAULT_RESET_DELAY_MS	200
#define WF_SIM_SUGGESTED_CHARGER_WDT_MS 3500 /* protocol.md §1.4 [I]; off by default */

/**
 * WfSimConfig:
 * @flash_path: the flash image file (created when missing); %NULL = a watch
 *   that lives in memory only
 * @chip: "mt6261" or "mt6260"; %NULL = what the watch file says, else mt6261
 * @flash_size: bytes; 0 = the file's size, else 8 MiB
 * @jedec: the NOR's JEDEC id when @has_jedec is set
 * @rate: link speed in bytes per second each way; 0 = unthrottled
 * @turnaround_us: latency of one request/answer round trip
 * @lifetime_ms: how long the port stays without a handshake; 0 = forever
 * @charger_wdt_ms: after the handshake, the port vanishes when this long
 *   passes without a write to 0xA0700A24; 0 = never
 * @faults: fault-injection spec (docs/simulator.md), or %NULL
 * @fast_nor: erase and program take no time
 * @reappear_gap_ms: how long a vanished port stays away before it re-enumerates
 * @reset_delay_ms: how long after a software reset the port comes back
 *
 * Fields are plain so callers can set them directly after
 * wf_sim_config_init(). @flash_path and @faults are owned (g_free'd by
 * wf_sim_config_clear()); @chip is not.
 */
typedef struct {
	gchar *flash_path;
	const gchar *chip;
	gsize flash_size;
	guint8 jedec[3];
	gboolean has_jedec;
	guint rate;
	guint turnaround_us;
	guint lifetime_ms;
	guint charger_wdt_ms;
	gchar *faults;
	gboolean fast_nor;
	guint reappear_gap_ms;
	guint reset_delay_ms;
} WfSimConfig;

void
wf_sim_config_init(WfSimConfig *config);
void
wf_sim_config_clear(WfSimConfig *config);
void
wf_sim_config_copy(WfSimConfig *dest, const WfSimConfig *src);
gboolean
wf_sim_config_parse_size(const gchar *text, gsize *size, GError **error);
gboolean
wf_sim_config_parse_jedec(const gchar *text, guint8 jedec[3], GError **error);
gboolean
wf_sim_config_size_is_valid(gsize size);
void
wf_sim_config_default_jedec(gsize flash_size, guint8 jedec[3]);

G_END_DECLS
