/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-wire-log.h"

G_BEGIN_DECLS

#define WF_TYPE_TRANSPORT (wf_transport_get_type())
G_DECLARE_INTERFACE(WfTransport, wf_transport, WF, TRANSPORT, GObject)

/**
 * WfTransportInterface:
 * @open: open the link; a no-op for links that are born open
 * @close: close the link; must be safe to call twice
 * @read: read between 1 and @bufsz bytes, waiting at most @timeout_ms for the
 *   first one; on timeout return %FALSE with %WF_ERROR_TIMED_OUT; when the peer
 *   has gone away return %FALSE with %WF_ERROR_DEVICE_LOST
 * @write: write all @bufsz bytes within @timeout_ms or fail
 * @discard_input: drop whatever has been received but not read yet
 * @get_path: a human-readable name of the link, e.g. "/dev/ttyACM0"
 *
 * The seam between protocol code and the world: a serial port, a tty file
 * descriptor, or a virtual watch in the same process. Implementations never
 * need to log; the wrappers below write the wire log.
 */
struct _WfTransportInterface {
	GTypeInterface g_iface;
	gboolean (*open)(WfTransport *self, GError **error);
	gboolean (*close)(WfTransport *self, GError **error);
	gboolean (*read)(WfTransport *self,
			 guint8 *buf,
			 gsize bufsz,
			 gsize *actual,
			 guint timeout_ms,
			 GCancellable *cancellable,
			 GError **error);
	gboolean (*write)(WfTransport *self,
			  const guint8 *buf,
			  gsize bufsz,
			  guint timeout_ms,
			  GCancellable *cancellable,
			  GError **error);
	gboolean (*discard_input)(WfTransport *self, GError **error);
	const gchar *(*get_path)(WfTransport *self);
};

gboolean
wf_transport_open(WfTransport *self, GError **error);
gboolean
wf_transport_close(WfTransport *self, GError **error);
gboolean
wf_transport_read(WfTransport *self,
		  guint8 *buf,
		  gsize bufsz,
		  gsize *actual,
		  guint timeout_ms,
		  GCancellable *cancellable,
		  GError **error);
gboolean
wf_transport_read_exact(WfTransport *self,
			guint8 *buf,
			gsize bufsz,
			guint timeout_ms,
			GCancellable *cancellable,
			GError **error);
gboolean
wf_transport_write(WfTransport *self,
		   const guint8 *buf,
		   gsize bufsz,
		   guint timeout_ms,
		   GCancellable *cancellable,
		   GError **error);
gboolean
wf_transport_discard_input(WfTransport *self, GError **error);
const gchar *
wf_transport_get_path(WfTransport *self);
void
wf_transport_set_wire_log(WfTransport *self, WfWireLog *wire_log);
WfWireLog *
wf_transport_get_wire_log(WfTransport *self);
void
wf_transport_get_counters(WfTransport *self, guint64 *bytes_read, guint64 *bytes_written);

G_END_DECLS
