/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WF_TYPE_WIRE_LOG (wf_wire_log_get_type())
G_DECLARE_FINAL_TYPE(WfWireLog, wf_wire_log, WF, WIRE_LOG, GObject)

typedef enum {
	WF_WIRE_LOG_DIRECTION_OUT, /* host to watch */
	WF_WIRE_LOG_DIRECTION_IN,  /* watch to host */
} WfWireLogDirection;

WfWireLog *
wf_wire_log_new_for_path(const gchar *path, GError **error);
WfWireLog *
wf_wire_log_new_for_stream(GOutputStream *stream);
void
wf_wire_log_add(WfWireLog *self, WfWireLogDirection direction, const guint8 *buf, gsize bufsz);
void
wf_wire_log_note(WfWireLog *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
gboolean
wf_wire_log_flush(WfWireLog *self, GError **error);

G_END_DECLS
