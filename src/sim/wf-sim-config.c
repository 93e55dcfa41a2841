/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-config.h"

#include <string.h>

#include "wf-error.h"

/**
 * wf_sim_config_init:
 * @config: the struct to fill with defaults
 */
void
wf_sim_config_init(WfSimConfig *config)
{
	g_return_if_fail(config != NULL);

	memset(config, 0, sizeof(*config));
	config->rate = WF_SIM_DEFAULT_RATE;
	config->turnaround_us = WF_SIM_DEFAULT_TURNAROUND_US;
	config->lifetime_ms = WF_SIM_DEFAULT_LIFETIME_MS;
	config->charger_wdt_ms = 0;
	config->reappear_gap_ms = WF_SIM_DEFAULT_REAPPEAR_GAP_MS;
	config->reset_delay_ms = WF_SIM_DEFAULT_RESET_DELAY_MS;
}

/**
 * wf_sim_config_clear:
 * @config: a config
 *
 * Frees the owned strings; the struct can be re-initialised afterwards.
 */
void
wf_sim_config_clear(WfSimConfig *config)
{
	g_return_if_fail(config != NULL);

	g_clear_pointer(&config->flash_path, g_free);
	g_clear_pointer(&config->faults, g_free);
}

/**
 * wf_sim_config_copy:
 * @dest: uninitialised storage
 * @src: the config to copy
 *
 * A deep copy; @chip is interned so the copy does not depend on @src.
 */
void
wf_sim_config_copy(WfSimConfig *dest, const WfSimConfig *src)
{
	g_return_if_fail(dest != NULL);
	g_return_if_fail(src != NULL);

	*dest = *src;
	dest->flash_path = g_strdup(src->flash_path);
	dest->faults = g_strdup(src->faults);
	dest->chip = g_intern_string(src->chip);
}

/**
 * wf_sim_config_size_is_valid:
 * @size: bytes
 *
 * Serial NOR parts come in powers of two; watches use 4–16 MiB, tests may use
 * smaller parts to stay fast.
 */
gboolean
wf_sim_config_size_is_valid(gsize size)
{
	return size >= 64 * 1024 && size <= 16 * 1024 * 1024 && (size & (size - 1)) == 0;
}

/**
 * wf_sim_config_default_jedec:
 * @flash_size: bytes
 * @jedec: (out): the JEDEC id a typical watch with that flash reports
 *
 * 4 MiB: Macronix MX25L32 (the capture's watch), 8 MiB: GigaDevice GD25LQ64
 * (DZ09), 16 MiB: Winbond W25Q128. Other sizes: GigaDevice with the matching
 * capacity code (size = 1 << code).
 */
void
wf_sim_config_default_jedec(gsize flash_size, guint8 jedec[3])
{
	guint code = 0;

	while (code < 31 && ((gsize)1 << code) < flash_size)
		code++;
	if (flash_size == 4 * 1024 * 1024) {
		jedec[0] = 0xC2;
		jedec[1] = 0x20;
	} else if (flash_size == 16 * 1024 * 1024) {
		jedec[0] = 0xEF;
		jedec[1] = 0x40;
	} else {
		jedec[0] = 0xC8;
		jedec[1] = 0x60;
	}
	jedec[2] = (guint8)code;
}

/**
 * wf_sim_config_parse_size:
 * @text: "4M", "8MiB", "16m", "65536", "0x400000" or "512K"
 * @size: (out): bytes
 * @error: (out): return location
 */
gboolean
wf_sim_config_parse_size(const gchar *text, gsize *size, GError **error)
{
	guint64 value = 0;
	gchar *end = NULL;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(size != NULL, FALSE);

	value = g_ascii_strtoull(text, &end, 0);
	if (end == text) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "not a size: %s", text);
		return FALSE;
	}
	if (g_ascii_strcasecmp(end, "M") == 0 || g_ascii_strcasecmp(end, "MiB") == 0)
		value *= 1024 * 1024;
	else if (g_ascii_strcasecmp(end, "K") == 0 || g_ascii_strcasecmp(end, "KiB") == 0)
		value *= 1024;
	else if (*end != '\0') {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "not a size: %s", text);
		return FALSE;
	}
	if (!wf_sim_config_size_is_valid((gsize)value)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "flash size %s: need a power of two between 64 KiB and 16 MiB",
			    text);
		return FALSE;
	}
	*size = (gsize)value;
	return TRUE;
}

/**
 * wf_sim_config_parse_jedec:
 * @text: six hex digits, e.g. "C86017" (spaces and colons allowed)
 * @jedec: (out): manufacturer, memory type, capacity
 * @error: (out): return location
 */
gboolean
wf_sim_config_parse_jedec(const gchar *text, guint8 jedec[3], GError **error)
{
	guint8 out[3] = {0};
	guint n = 0;

	g_return_val_if_fail(text != NULL, FALSE);

	for (const gchar *p = text; *p != '\0'; p++) {
		gint v;

		if (*p == ' ' || *p == ':')
			continue;
		v = g_ascii_xdigit_value(*p);
		if (v < 0 || n >= 6) {
			n = 7;
			break;
		}
		out[n / 2] = (guint8)((out[n / 2] << 4) | v);
		n++;
	}
	if (n != 6) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "JEDEC id %s: need six hex digits, e.g. C86017",
			    text);
		return FALSE;
	}
	memcpy(jedec, out, 3);
	return TRUE;
}
