/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-link.h"
#include "wf-transport.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_PORT (wf_sim_port_get_type())
G_DECLARE_FINAL_TYPE(WfSimPort, wf_sim_port, WF, SIM_PORT, GObject)

WfSimPort *
wf_sim_port_new(WfSimLink *link, const gchar *path);
WfSimLink *
wf_sim_port_get_link(WfSimPort *self);

G_END_DECLS
