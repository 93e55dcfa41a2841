/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * What the application did, in words, with the time it happened: the Log
 * page shows it and the exported report starts with it. Main thread only.
 */

#define WF_TYPE_ACTIVITY_LOG (wf_activity_log_get_type())
G_DECLARE_FINAL_TYPE(WfActivityLog, wf_activity_log, WF, ACTIVITY_LOG, GObject)

typedef enum {
	WF_ACTIVITY_KIND_INFO,
	WF_ACTIVITY_KIND_SUCCESS,
	WF_ACTIVITY_KIND_PROBLEM,
} WfActivityKind;

typedef struct {
	GDateTime *time;
	WfActivityKind kind;
	gchar *text;
} WfActivityEntry;

WfActivityLog *
wf_activity_log_new(void);
void
wf_activity_log_add(WfActivityLog *self, WfActivityKind kind, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);
guint
wf_activity_log_get_n_entries(WfActivityLog *self);
const WfActivityEntry *
wf_activity_log_get_entry(WfActivityLog *self, guint idx);
gchar *
wf_activity_log_format_entry(const WfActivityEntry *entry);
gchar *
wf_activity_log_to_text(WfActivityLog *self);
void
wf_activity_log_set_wire_log_path(WfActivityLog *self, const gchar *path);
const gchar *
wf_activity_log_get_wire_log_path(WfActivityLog *self);
gchar *
wf_activity_log_read_wire_log_tail(WfActivityLog *self, gsize max_bytes);
gchar *
wf_activity_log_build_report(WfActivityLog *self, const gchar *extra);

G_END_DECLS
