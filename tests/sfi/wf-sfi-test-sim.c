/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sfi-test-sim.h"

void
wf_sfi_test_sim_config_fast(WfSimConfig *config)
{
	wf_sim_config_init(config);
	config->flash_size = 4 * 1024 * 1024;
	config->rate = 0;
	config->turnaround_us = 0;
	config->lifetime_ms = 0;
	config->fast_nor = TRUE;
}

void
wf_sfi_test_sim_start(WfSfiTestSim *sim, const WfSimConfig *config)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = WF_BROM_HANDSHAKE_ALREADY_DONE;

	sim->watch = wf_sim_watch_new(config, &error);
	g_assert_no_error(error);
	g_assert_nonnull(sim->watch);
	wf_sim_watch_plug_in(sim->watch);
	sim->transport = wf_sim_watch_wait_port(sim->watch, 5000, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(sim->transport);
	sim->brom = wf_brom_new(sim->transport);
	g_assert_true(wf_brom_handshake(sim->brom, 2000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_DONE);
}

void
wf_sfi_test_sim_stop(WfSfiTestSim *sim)
{
	g_clear_object(&sim->brom);
	if (sim->transport != NULL)
		wf_transport_close(sim->transport, NULL);
	g_clear_object(&sim->transport);
	if (sim->watch != NULL)
		wf_sim_watch_shutdown(sim->watch);
	g_clear_object(&sim->watch);
}

void
wf_sfi_test_sim_prepare(WfSfiTestSim *sim)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(wf_brom_disable_watchdog(sim->brom, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_remap_flash(sim->brom, NULL, &error));
	g_assert_no_error(error);
}

GBytes *
wf_sfi_test_sim_dup_flash(WfSfiTestSim *sim)
{
	return wf_sim_watch_dup_flash(sim->watch);
}

void
wf_sfi_test_sim_load(WfSfiTestSim *sim, const guint8 *image)
{
	g_autoptr(GError) error = NULL;
	gsize size = wf_sim_watch_get_flash_size(sim->watch);
	g_autoptr(GBytes) bytes = g_bytes_new(image, size);

	g_assert_true(wf_sim_flash_load(wf_sim_watch_get_flash(sim->watch), bytes, &error));
	g_assert_no_error(error);
}

guint64
wf_sfi_test_sim_bytes_in(WfSfiTestSim *sim)
{
	guint64 in = 0, out = 0;

	wf_transport_get_counters(sim->transport, &in, &out);
	return in;
}

void
wf_sfi_test_fill(guint8 *buf, gsize len, guint32 seed)
{
	guint32 x = seed * 2654435761u + 1;

	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (guint8)(x >> 11);
	}
}
