/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-transport.h"

G_BEGIN_DECLS

#define WF_TYPE_TRANSPORT_SERIAL (wf_transport_serial_get_type())
G_DECLARE_FINAL_TYPE(WfTransportSerial, wf_transport_serial, WF, TRANSPORT_SERIAL, GObject)

/*
 * A real serial port (ttyACM/ttyUSB) through libserialport 0.1.1: raw 8N1
 * 115200, no flow control, opened exclusively. wf_transport_open() opens it;
 * symlinks such as /dev/serial/by-id/… are resolved first.
 */
WfTransportSerial *
wf_transport_serial_new(const gchar *path);

G_END_DECLS
