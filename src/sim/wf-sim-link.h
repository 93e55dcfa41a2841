/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-channel.h"
#include "wf-sim-faults.h"

G_BEGIN_DECLS

#define WF_TYPE_SIM_LINK (wf_sim_link_get_type())
G_DECLARE_FINAL_TYPE(WfSimLink, wf_sim_link, WF, SIM_LINK, GObject)

WfSimLink *
wf_sim_link_new(guint generation, guint rate, guint turnaround_us, WfSimFaults *faults);
guint
wf_sim_link_get_generation(WfSimLink *self);
WfSimChannel *
wf_sim_link_get_channel(WfSimLink *self, WfSimDirection direction);
gboolean
wf_sim_link_write(WfSimLink *self,
		  WfSimDirection direction,
		  const guint8 *buf,
		  gsize bufsz,
		  gint64 deadline_us,
		  GCancellable *cancellable,
		  GError **error);
gboolean
wf_sim_link_read(WfSimLink *self,
		 WfSimDirection direction,
		 guint8 *buf,
		 gsize bufsz,
		 gsize *actual,
		 gint64 deadline_us,
		 GCancellable *cancellable,
		 GError **error);
void
wf_sim_link_vanish(WfSimLink *self, gint64 at_us);
gboolean
wf_sim_link_is_gone(WfSimLink *self);
gboolean
wf_sim_link_get_fault_disconnect(WfSimLink *self);

G_END_DECLS
