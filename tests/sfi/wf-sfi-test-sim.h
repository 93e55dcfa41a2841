/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-brom.h"
#include "wf-sim-watch.h"

G_BEGIN_DECLS

/* an in-process virtual watch in its boot ROM, handshaken */
typedef struct {
	WfSimWatch *watch;
	WfTransport *transport;
	WfBrom *brom;
} WfSfiTestSim;

/* a 4 MiB watch with instant erase/program on an unthrottled link */
void
wf_sfi_test_sim_config_fast(WfSimConfig *config);
void
wf_sfi_test_sim_start(WfSfiTestSim *sim, const WfSimConfig *config);
void
wf_sfi_test_sim_stop(WfSfiTestSim *sim);
/* watchdogs off, flash at 0 in the window */
void
wf_sfi_test_sim_prepare(WfSfiTestSim *sim);
GBytes *
wf_sfi_test_sim_dup_flash(WfSfiTestSim *sim);
/* factory-programs the whole flash, bypassing the NOR rules */
void
wf_sfi_test_sim_load(WfSfiTestSim *sim, const guint8 *image);
/* bytes the watch has sent so far */
guint64
wf_sfi_test_sim_bytes_in(WfSfiTestSim *sim);
/* deterministic pseudo-random bytes */
void
wf_sfi_test_fill(guint8 *buf, gsize len, guint32 seed);

G_END_DECLS
