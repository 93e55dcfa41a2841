/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WF_TYPE_SIM_CHANNEL (wf_sim_channel_get_type())
G_DECLARE_FINAL_TYPE(WfSimChannel, wf_sim_channel, WF, SIM_CHANNEL, GObject)

/* a deadline that never comes */
#define WF_SIM_FOREVER G_MAXINT64

WfSimChannel *
wf_sim_channel_new(guint rate, gint64 latency_us, gsize limit);
gboolean
wf_sim_channel_write(WfSimChannel *self,
		     const guint8 *buf,
		     gsize bufsz,
		     gint64 deadline_us,
		     GCancellable *cancellable,
		     GError **error);
gboolean
wf_sim_channel_read(WfSimChannel *self,
		    guint8 *buf,
		    gsize bufsz,
		    gsize *actual,
		    gint64 deadline_us,
		    GCancellable *cancellable,
		    GError **error);
void
wf_sim_channel_stall(WfSimChannel *self, gint64 stall_us);
gint64
wf_sim_channel_predict_arrival(WfSimChannel *self, gsize n);
void
wf_sim_channel_close(WfSimChannel *self, gint64 at_us);
gboolean
wf_sim_channel_is_closed(WfSimChannel *self);
gboolean
wf_sim_channel_wait_closed(WfSimChannel *self, gint64 deadline_us);
gsize
wf_sim_channel_discard(WfSimChannel *self);
gint64
wf_sim_channel_get_drain_time(WfSimChannel *self);
gint64
wf_sim_channel_get_first_arrival(WfSimChannel *self);
guint64
wf_sim_channel_get_bytes_written(WfSimChannel *self);
void
wf_sim_channel_wake(WfSimChannel *self);

G_END_DECLS
