/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-activity-log.h"
#include "wf-backup.h"
#include "wf-device-info.h"
#include "wf-flash-job.h"
#include "wf-job.h"
#include "wf-sim-config.h"

G_BEGIN_DECLS

/*
 * The application's one watch: listening for it, catching and identifying
 * it, and the jobs run on it. No GTK here; the window shows its state.
 * All talking to the watch happens in WfJob workers.
 */

#define WF_TYPE_CONNECTION (wf_connection_get_type())
G_DECLARE_FINAL_TYPE(WfConnection, wf_connection, WF, CONNECTION, GObject)

#define WF_TYPE_CONNECTION_STATE (wf_connection_state_get_type())

typedef enum {
	WF_CONNECTION_STATE_IDLE,	/* not listening */
	WF_CONNECTION_STATE_WAITING,	/* listening for the boot-ROM port */
	WF_CONNECTION_STATE_CONNECTING, /* port found: handshake, identify */
	WF_CONNECTION_STATE_CONNECTED,	/* identified; jobs may run */
	WF_CONNECTION_STATE_ERROR,	/* the last attempt failed; see the error */
} WfConnectionState;

/* the connecting steps, as WfProgress step ids of the catch job */
#define WF_CONNECTION_STEP_PORT	     "port"
#define WF_CONNECTION_STEP_HANDSHAKE "handshake"
#define WF_CONNECTION_STEP_IDENTIFY  "identify"

GType
wf_connection_state_get_type(void);

WfConnection *
wf_connection_new(WfActivityLog *log);
void
wf_connection_set_wire_log_path(WfConnection *self, const gchar *path);

void
wf_connection_listen(WfConnection *self);
void
wf_connection_start_virtual(WfConnection *self, const WfSimConfig *config);
void
wf_connection_stop(WfConnection *self);
WfJob *
wf_connection_backup(WfConnection *self, const gchar *folder, GError **error);
void
wf_connection_cancel_job(WfConnection *self);
WfJob *
wf_connection_prepare_write(WfConnection *self, WfFlashJob *flash_job, GError **error);
WfJob *
wf_connection_run_write(WfConnection *self, WfFlashJob *flash_job, GError **error);
gboolean
wf_connection_is_writing(WfConnection *self);

WfConnectionState
wf_connection_get_state(WfConnection *self);
const gchar *
wf_connection_get_step(WfConnection *self);
const gchar *
wf_connection_get_port_path(WfConnection *self);
const GError *
wf_connection_get_error(WfConnection *self);
WfDeviceInfo *
wf_connection_get_device_info(WfConnection *self);
gboolean
wf_connection_is_virtual(WfConnection *self);
WfJob *
wf_connection_get_job(WfConnection *self);
gboolean
wf_connection_is_busy(WfConnection *self);

gchar *
wf_connection_make_backup_dir_name(WfDeviceInfo *info, GDateTime *when);

G_END_DECLS
