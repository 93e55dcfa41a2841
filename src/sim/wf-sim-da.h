/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-da-context.h"
#include "wf-sim-faults.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_DA (wf_sim_da_get_type())
G_DECLARE_FINAL_TYPE(WfSimDa, wf_sim_da, WF, SIM_DA, GObject)

/* where the feature-phone DA's two stages are loaded, protocol.md §4.3 */
#define WF_SIM_DA_STAGE1_ADDR 0x70007000u
#define WF_SIM_DA_STAGE2_ADDR 0x10020000u

/**
 * WfSimDaProfile:
 * @WF_SIM_DA_PROFILE_NONE: no DA has run (yet), or it could not start
 * @WF_SIM_DA_PROFILE_SPFT: SP Flash Tool's DA v3.2 build: 174-byte report,
 *   no 69 after the flash match, FINISH answers A5
 * @WF_SIM_DA_PROFILE_WIZ: the pymtkflasher/Wiz-IO build: an extra 69 after the
 *   match, 198-byte report, FINISH answers 5A, C9 handled
 *
 * The behaviour is that of the blob the host uploaded (protocol.md §5.11).
 */
typedef enum {
	WF_SIM_DA_PROFILE_NONE,
	WF_SIM_DA_PROFILE_SPFT,
	WF_SIM_DA_PROFILE_WIZ,
} WfSimDaProfile;

WfSimDa *
wf_sim_da_new(WfSimFaults *faults);
void
wf_sim_da_run(WfSimDaContext *ctx, gpointer user_data);
WfSimDaProfile
wf_sim_da_get_last_profile(WfSimDa *self, gboolean *recognised);
guint
wf_sim_da_get_n_sessions(WfSimDa *self);

WfSimDaProfile
wf_sim_da_profile_for_stages(guint32 stage1_len,
			     guint16 stage1_xor16,
			     guint32 stage2_len,
			     guint16 stage2_xor16,
			     gboolean *recognised);
const gchar *
wf_sim_da_profile_to_string(WfSimDaProfile profile);

G_END_DECLS
