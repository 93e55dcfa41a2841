/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WF_TYPE_PROGRESS (wf_progress_get_type())
G_DECLARE_FINAL_TYPE(WfProgress, wf_progress, WF, PROGRESS, GObject)

/*
 * Progress of one long operation, FuProgress-style: the operation declares
 * weighted steps, each step reports bytes, and listeners get one "changed"
 * signal per update. Emitted in the thread that updates it; WfJob marshals
 * it to the main context for the GUI.
 */

WfProgress *
wf_progress_new(void);
void
wf_progress_add_step(WfProgress *self, const gchar *id, guint weight, const gchar *message);
void
wf_progress_step_done(WfProgress *self);
void
wf_progress_set_bytes(WfProgress *self, guint64 done, guint64 total);
void
wf_progress_set_message(WfProgress *self, const gchar *message);
void
wf_progress_finish(WfProgress *self);

gdouble
wf_progress_get_fraction(WfProgress *self);
const gchar *
wf_progress_get_step_id(WfProgress *self);
const gchar *
wf_progress_get_message(WfProgress *self);
guint64
wf_progress_get_bytes_done(WfProgress *self);
guint64
wf_progress_get_bytes_total(WfProgress *self);
gdouble
wf_progress_get_rate(WfProgress *self);
gdouble
wf_progress_get_eta_seconds(WfProgress *self);

G_END_DECLS
