/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-port.h"

#include "wf-error.h"

/*
 * The host's end of one appearance of the virtual watch's port, as a
 * WfTransport: what `--simulate` and the fast tests talk to. Like a tty that
 * vanished, it fails with WF_ERROR_DEVICE_LOST once the port has gone (after
 * handing out the bytes that arrived before); a re-enumerated port is a new
 * WfSimPort.
 */

struct _WfSimPort {
	GObject parent_instance;
	WfSimLink *link;
	gchar *path;
	gboolean closed;
};

static void
wf_sim_port_transport_iface_init(WfTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(WfSimPort,
			      wf_sim_port,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(WF_TYPE_TRANSPORT,
						    wf_sim_port_transport_iface_init))

static gboolean
wf_sim_port_check_open(WfSimPort *self, GError **error)
{
	if (self->closed) {
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s is closed", self->path);
		return FALSE;
	}
	return TRUE;
}

static gint64
wf_sim_port_deadline(guint timeout_ms)
{
	return g_get_monotonic_time() + (gint64)timeout_ms * 1000;
}

/* the channel's errors, with the port's name and the caller's timeout */
static void
wf_sim_port_rewrite_error(WfSimPort *self, GError *error, guint timeout_ms, GError **out)
{
	if (g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT)) {
		g_set_error(out,
			    WF_ERROR,
			    WF_ERROR_TIMED_OUT,
			    "%s: no answer within %u ms",
			    self->path,
			    timeout_ms);
		return;
	}
	if (g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_LOST)) {
		g_set_error(out, WF_ERROR, WF_ERROR_DEVICE_LOST, "%s has vanished", self->path);
		return;
	}
	g_propagate_error(out, g_error_copy(error));
}

static gboolean
wf_sim_port_read(WfTransport *transport,
		 guint8 *buf,
		 gsize bufsz,
		 gsize *actual,
		 guint timeout_ms,
		 GCancellable *cancellable,
		 GError **error)
{
	WfSimPort *self = WF_SIM_PORT(transport);
	g_autoptr(GError) error_local = NULL;

	if (!wf_sim_port_check_open(self, error))
		return FALSE;
	if (!wf_sim_link_read(self->link,
			      WF_SIM_DIRECTION_IN,
			      buf,
			      bufsz,
			      actual,
			      wf_sim_port_deadline(timeout_ms),
			      cancellable,
			      &error_local)) {
		wf_sim_port_rewrite_error(self, error_local, timeout_ms, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sim_port_write(WfTransport *transport,
		  const guint8 *buf,
		  gsize bufsz,
		  guint timeout_ms,
		  GCancellable *cancellable,
		  GError **error)
{
	WfSimPort *self = WF_SIM_PORT(transport);
	g_autoptr(GError) error_local = NULL;

	if (!wf_sim_port_check_open(self, error))
		return FALSE;
	if (!wf_sim_link_write(self->link,
			       WF_SIM_DIRECTION_OUT,
			       buf,
			       bufsz,
			       wf_sim_port_deadline(timeout_ms),
			       cancellable,
			       &error_local)) {
		wf_sim_port_rewrite_error(self, error_local, timeout_ms, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sim_port_discard_input(WfTransport *transport, GError **error)
{
	WfSimPort *self = WF_SIM_PORT(transport);

	if (!wf_sim_port_check_open(self, error))
		return FALSE;
	wf_sim_channel_discard(wf_sim_link_get_channel(self->link, WF_SIM_DIRECTION_IN));
	return TRUE;
}

static gboolean
wf_sim_port_close(WfTransport *transport, GError **error)
{
	WF_SIM_PORT(transport)->closed = TRUE;
	return TRUE;
}

static const gchar *
wf_sim_port_get_path(WfTransport *transport)
{
	return WF_SIM_PORT(transport)->path;
}

static void
wf_sim_port_transport_iface_init(WfTransportInterface *iface)
{
	iface->read = wf_sim_port_read;
	iface->write = wf_sim_port_write;
	iface->discard_input = wf_sim_port_discard_input;
	iface->close = wf_sim_port_close;
	iface->get_path = wf_sim_port_get_path;
}

static void
wf_sim_port_finalize(GObject *object)
{
	WfSimPort *self = WF_SIM_PORT(object);

	g_clear_object(&self->link);
	g_free(self->path);
	G_OBJECT_CLASS(wf_sim_port_parent_class)->finalize(object);
}

static void
wf_sim_port_class_init(WfSimPortClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_port_finalize;
}

static void
wf_sim_port_init(WfSimPort *self)
{
}

/**
 * wf_sim_port_new:
 * @link: the port appearance to talk to
 * @path: a name for messages and the wire log
 */
WfSimPort *
wf_sim_port_new(WfSimLink *link, const gchar *path)
{
	WfSimPort *self;

	g_return_val_if_fail(WF_IS_SIM_LINK(link), NULL);
	self = g_object_new(WF_TYPE_SIM_PORT, NULL);
	self->link = g_object_ref(link);
	self->path = g_strdup(path != NULL ? path : "sim");
	return self;
}

/**
 * wf_sim_port_get_link:
 * @self: a #WfSimPort
 *
 * Returns: (transfer none): the link
 */
WfSimLink *
wf_sim_port_get_link(WfSimPort *self)
{
	g_return_val_if_fail(WF_IS_SIM_PORT(self), NULL);
	return self->link;
}
