/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-transport.h"

#include "wf-error.h"

G_DEFINE_INTERFACE(WfTransport, wf_transport, G_TYPE_OBJECT)

/* Per-instance data every transport gets for free, kept as qdata so that
 * implementations stay small. */
typedef struct {
	WfWireLog *wire_log;
	guint64 bytes_read;
	guint64 bytes_written;
} WfTransportPrivate;

static void
wf_transport_private_free(gpointer data)
{
	WfTransportPrivate *priv = data;
	g_clear_object(&priv->wire_log);
	g_free(priv);
}

static WfTransportPrivate *
wf_transport_get_private(WfTransport *self)
{
	static GQuark quark = 0;
	WfTransportPrivate *priv;

	if (G_UNLIKELY(quark == 0))
		quark = g_quark_from_static_string("wf-transport-private");
	priv = g_object_get_qdata(G_OBJECT(self), quark);
	if (priv == NULL) {
		priv = g_new0(WfTransportPrivate, 1);
		g_object_set_qdata_full(G_OBJECT(self), quark, priv, wf_transport_private_free);
	}
	return priv;
}

static void
wf_transport_default_init(WfTransportInterface *iface)
{
}

gboolean
wf_transport_open(WfTransport *self, GError **error)
{
	WfTransportInterface *iface;

	g_return_val_if_fail(WF_IS_TRANSPORT(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = WF_TRANSPORT_GET_IFACE(self);
	if (iface->open == NULL)
		return TRUE;
	return iface->open(self, error);
}

gboolean
wf_transport_close(WfTransport *self, GError **error)
{
	WfTransportInterface *iface;

	g_return_val_if_fail(WF_IS_TRANSPORT(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = WF_TRANSPORT_GET_IFACE(self);
	if (iface->close == NULL)
		return TRUE;
	return iface->close(self, error);
}

/**
 * wf_transport_read:
 * @self: a #WfTransport
 * @buf: where to put the bytes
 * @bufsz: the most bytes to read
 * @actual: (out): how many bytes were read, at least 1 on success
 * @timeout_ms: how long to wait for the first byte
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Reads what is available, waiting for at least one byte.
 */
gboolean
wf_transport_read(WfTransport *self,
		  guint8 *buf,
		  gsize bufsz,
		  gsize *actual,
		  guint timeout_ms,
		  GCancellable *cancellable,
		  GError **error)
{
	WfTransportPrivate *priv;
	g_autoptr(GError) error_local = NULL;
	gsize got = 0;

	g_return_val_if_fail(WF_IS_TRANSPORT(self), FALSE);
	g_return_val_if_fail(buf != NULL && bufsz > 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	priv = wf_transport_get_private(self);
	if (!WF_TRANSPORT_GET_IFACE(self)->read(
		    self, buf, bufsz, &got, timeout_ms, cancellable, &error_local)) {
		if (priv->wire_log != NULL)
			wf_wire_log_note(priv->wire_log, "read failed: %s", error_local->message);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	priv->bytes_read += got;
	if (priv->wire_log != NULL)
		wf_wire_log_add(priv->wire_log, WF_WIRE_LOG_DIRECTION_IN, buf, got);
	if (actual != NULL)
		*actual = got;
	return TRUE;
}

/**
 * wf_transport_read_exact:
 * @self: a #WfTransport
 * @buf: where to put the bytes
 * @bufsz: how many bytes to read
 * @timeout_ms: how long to wait for all of them
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Reads exactly @bufsz bytes. A timeout says how many bytes did arrive, which
 * is what a user needs to tell "no answer" from "a short answer".
 */
gboolean
wf_transport_read_exact(WfTransport *self,
			guint8 *buf,
			gsize bufsz,
			guint timeout_ms,
			GCancellable *cancellable,
			GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	gsize done = 0;

	while (done < bufsz) {
		gint64 remaining_us = deadline - g_get_monotonic_time();
		guint remaining_ms = remaining_us > 0 ? (guint)((remaining_us + 999) / 1000) : 0;
		g_autoptr(GError) error_local = NULL;
		gsize got = 0;

		if (remaining_ms == 0 && done > 0)
			remaining_ms = 1; /* one last look for bytes already queued */
		if (!wf_transport_read(self,
				       buf + done,
				       bufsz - done,
				       &got,
				       remaining_ms,
				       cancellable,
				       &error_local)) {
			if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_TIMED_OUT,
					    "timed out after %u ms: got %" G_GSIZE_FORMAT
					    " of %" G_GSIZE_FORMAT " bytes",
					    timeout_ms,
					    done,
					    bufsz);
				return FALSE;
			}
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		done += got;
	}
	return TRUE;
}

gboolean
wf_transport_write(WfTransport *self,
		   const guint8 *buf,
		   gsize bufsz,
		   guint timeout_ms,
		   GCancellable *cancellable,
		   GError **error)
{
	WfTransportPrivate *priv;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(WF_IS_TRANSPORT(self), FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (bufsz == 0)
		return TRUE;
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	priv = wf_transport_get_private(self);
	if (priv->wire_log != NULL)
		wf_wire_log_add(priv->wire_log, WF_WIRE_LOG_DIRECTION_OUT, buf, bufsz);
	if (!WF_TRANSPORT_GET_IFACE(self)->write(
		    self, buf, bufsz, timeout_ms, cancellable, &error_local)) {
		if (priv->wire_log != NULL)
			wf_wire_log_note(priv->wire_log, "write failed: %s", error_local->message);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	priv->bytes_written += bufsz;
	return TRUE;
}

gboolean
wf_transport_discard_input(WfTransport *self, GError **error)
{
	WfTransportInterface *iface;

	g_return_val_if_fail(WF_IS_TRANSPORT(self), FALSE);
	iface = WF_TRANSPORT_GET_IFACE(self);
	if (iface->discard_input == NULL)
		return TRUE;
	return iface->discard_input(self, error);
}

const gchar *
wf_transport_get_path(WfTransport *self)
{
	WfTransportInterface *iface;

	g_return_val_if_fail(WF_IS_TRANSPORT(self), NULL);
	iface = WF_TRANSPORT_GET_IFACE(self);
	if (iface->get_path == NULL)
		return G_OBJECT_TYPE_NAME(self);
	return iface->get_path(self);
}

/**
 * wf_transport_set_wire_log:
 * @self: a #WfTransport
 * @wire_log: (nullable): where to record every byte, or %NULL to stop
 */
void
wf_transport_set_wire_log(WfTransport *self, WfWireLog *wire_log)
{
	WfTransportPrivate *priv;

	g_return_if_fail(WF_IS_TRANSPORT(self));
	priv = wf_transport_get_private(self);
	g_set_object(&priv->wire_log, wire_log);
}

WfWireLog *
wf_transport_get_wire_log(WfTransport *self)
{
	g_return_val_if_fail(WF_IS_TRANSPORT(self), NULL);
	return wf_transport_get_private(self)->wire_log;
}

/**
 * wf_transport_get_counters:
 * @self: a #WfTransport
 * @bytes_read: (out) (optional): bytes received so far
 * @bytes_written: (out) (optional): bytes sent so far
 *
 * Link statistics for the backup record and the benchmark.
 */
void
wf_transport_get_counters(WfTransport *self, guint64 *bytes_read, guint64 *bytes_written)
{
	WfTransportPrivate *priv;

	g_return_if_fail(WF_IS_TRANSPORT(self));
	priv = wf_transport_get_private(self);
	if (bytes_read != NULL)
		*bytes_read = priv->bytes_read;
	if (bytes_written != NULL)
		*bytes_written = priv->bytes_written;
}
