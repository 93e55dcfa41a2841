/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-brom.h"
#include "wf-cli.h"
#include "wf-device-info.h"
#include "wf-progress.h"
#include "wf-sim-watch.h"

G_BEGIN_DECLS

/*
 * The watch-catching step every device command starts with: the virtual
 * watch (--simulate), a given port (--port), or whatever boot-ROM port
 * appears; then the handshake and, if asked, identification.
 */
typedef struct {
	WfCli *cli;
	WfSimWatch *sim;
	WfWireLog *wire_log;
	WfBrom *brom;
	WfDeviceInfo *info;
	gchar *port_path;
	gint64 first_write_delay_us;
} WfCliSession;

#define WF_CLI_DEFAULT_CATCH_TIMEOUT_S 60

WfCliSession *
wf_cli_session_new(WfCli *cli, GError **error);
void
wf_cli_session_free(WfCliSession *session);
gboolean
wf_cli_session_catch(WfCliSession *session, guint timeout_s, GError **error);
gboolean
wf_cli_session_identify(WfCliSession *session, guint32 flash_size_override, GError **error);
gboolean
wf_cli_session_finish(WfCliSession *session, GError **error);

/* progress on stderr (a terminal line) or stdout (JSON events) */
void
wf_cli_progress_attach(WfCli *cli, WfProgress *progress, const gchar *operation);
void
wf_cli_progress_done(WfCli *cli);

gboolean
wf_cli_parse_size(const gchar *text, guint64 *size, GError **error);
gboolean
wf_cli_parse_offset(const gchar *text, guint64 *offset, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfCliSession, wf_cli_session_free)

G_END_DECLS
