/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-port-enumerator.h"
#include "wf-port-info.h"

G_BEGIN_DECLS

#define WF_TYPE_PORT_MONITOR (wf_port_monitor_get_type())
G_DECLARE_FINAL_TYPE(WfPortMonitor, wf_port_monitor, WF, PORT_MONITOR, GObject)

/*
 * Watches serial ports come and go. Uses GUdev ("tty" uevents) when it is
 * built in, udev is running and the enumerator looks at the real /dev;
 * otherwise polls the enumerator. Signals
 * "port-added" and "port-removed" (one #WfPortInfo argument) are emitted in
 * the thread-default main context of the thread that created the monitor;
 * that context must be iterated for anything to happen.
 */

#define WF_PORT_MONITOR_DEFAULT_POLL_MS 100

WfPortMonitor *
wf_port_monitor_new(WfPortEnumerator *enumerator);
void
wf_port_monitor_set_use_gudev(WfPortMonitor *self, gboolean use_gudev);
void
wf_port_monitor_set_poll_interval(WfPortMonitor *self, guint poll_ms);
gboolean
wf_port_monitor_start(WfPortMonitor *self, GError **error);
void
wf_port_monitor_stop(WfPortMonitor *self);
gboolean
wf_port_monitor_is_polling(WfPortMonitor *self);
GPtrArray *
wf_port_monitor_get_ports(WfPortMonitor *self);
WfPortEnumerator *
wf_port_monitor_get_enumerator(WfPortMonitor *self);

G_END_DECLS
