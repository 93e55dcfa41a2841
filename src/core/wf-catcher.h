/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-brom.h"
#include "wf-port-enumerator.h"
#include "wf-transport.h"
#include "wf-wire-log.h"

G_BEGIN_DECLS

#define WF_TYPE_CATCHER (wf_catcher_get_type())
G_DECLARE_FINAL_TYPE(WfCatcher, wf_catcher, WF, CATCHER, GObject)

/*
 * The first step of every command: wait for the watch's boot-ROM port and
 * complete the handshake before the port closes again (it is open for about
 * a second, protocol.md §1.4, users.md §2.3).
 *
 * Where the port comes from, by priority:
 *  - an opener callback (the in-process virtual watch), called every few ms
 *    until it stops failing with %WF_ERROR_NOT_FOUND;
 *  - a path, polled every 2 ms until it exists, then opened at once;
 *  - otherwise any new 0E8D:0003 port reported by a #WfPortMonitor.
 *
 * wf_catcher_catch() is synchronous; the "step-changed" signal is emitted in
 * the calling thread.
 */

typedef enum {
	WF_CATCHER_STEP_WAITING,     /* no port yet, or it vanished */
	WF_CATCHER_STEP_PORT_FOUND,  /* a port appeared; opening it */
	WF_CATCHER_STEP_HANDSHAKING, /* A0 0A 50 05 going out */
	WF_CATCHER_STEP_CAUGHT,	     /* the boot ROM is in its command loop */
} WfCatcherStep;

/**
 * WfCatcherOpenFunc:
 * @user_data: data given to wf_catcher_set_opener()
 * @error: return location
 *
 * Returns: (transfer full): an open transport, or %NULL; %WF_ERROR_NOT_FOUND
 *   means "not there yet, ask again"
 */
typedef WfTransport *(*WfCatcherOpenFunc)(gpointer user_data, GError **error);

/* how often a missing path or opener is retried */
#define WF_CATCHER_POLL_MS 2
/* how long one wf_brom_handshake() call may spam A0 before the catcher
 * checks whether the port is still there */
#define WF_CATCHER_ATTEMPT_MS 250

const gchar *
wf_catcher_step_to_string(WfCatcherStep step);

WfCatcher *
wf_catcher_new(void);
void
wf_catcher_set_path(WfCatcher *self, const gchar *path);
void
wf_catcher_set_opener(WfCatcher *self,
		      WfCatcherOpenFunc func,
		      gpointer user_data,
		      GDestroyNotify destroy);
void
wf_catcher_set_enumerator(WfCatcher *self, WfPortEnumerator *enumerator);
void
wf_catcher_set_wire_log(WfCatcher *self, WfWireLog *wire_log);

WfBrom *
wf_catcher_catch(WfCatcher *self, guint timeout_ms, GCancellable *cancellable, GError **error);

WfCatcherStep
wf_catcher_get_step(WfCatcher *self);
const gchar *
wf_catcher_get_port_path(WfCatcher *self);
gint64
wf_catcher_get_first_write_delay_us(WfCatcher *self);
guint
wf_catcher_get_appearances(WfCatcher *self);

G_END_DECLS
