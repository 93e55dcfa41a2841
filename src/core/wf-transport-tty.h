/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-transport.h"

G_BEGIN_DECLS

#define WF_TYPE_TRANSPORT_TTY (wf_transport_tty_get_type())
G_DECLARE_FINAL_TYPE(WfTransportTty, wf_transport_tty, WF, TRANSPORT_TTY, GObject)

/*
 * A tty opened with plain termios: raw 8N1 115200, exclusive, non-blocking
 * with poll()-based timeouts. Used for ptys (the virtual watch's external
 * port, tests) and any tty that libserialport 0.1.1 refuses because it has
 * no sysfs node. wf_transport_open() opens it.
 */
WfTransportTty *
wf_transport_tty_new(const gchar *path);
gint
wf_transport_tty_get_fd(WfTransportTty *self);

G_END_DECLS
