/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-link.h"

#include "wf-error.h"

/*
 * One appearance of the watch's port: a channel each way plus the byte
 * faults that apply to it. When the port vanishes the link dies with it; a
 * re-enumerated port is a new link, so stale bytes never leak across.
 */

/* what either side may queue before it has to wait (USB flow control) */
#define WF_SIM_LINK_QUEUE_LIMIT (1024 * 1024)

struct _WfSimLink {
	GObject parent_instance;
	guint generation;
	WfSimFaults *faults;
	WfSimChannel *channels[2]; /* indexed by WfSimDirection */
	GMutex write_mutex[2];	   /* keeps positions and chunks in order */
	guint64 position[2];	   /* bytes offered by each sender so far */
	gint fault_disconnect;	   /* atomic: set by a sender, read by the watch */
};

G_DEFINE_FINAL_TYPE(WfSimLink, wf_sim_link, G_TYPE_OBJECT)

static void
wf_sim_link_finalize(GObject *object)
{
	WfSimLink *self = WF_SIM_LINK(object);

	for (guint i = 0; i < 2; i++) {
		g_clear_object(&self->channels[i]);
		g_mutex_clear(&self->write_mutex[i]);
	}
	g_clear_object(&self->faults);
	G_OBJECT_CLASS(wf_sim_link_parent_class)->finalize(object);
}

static void
wf_sim_link_class_init(WfSimLinkClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_link_finalize;
}

static void
wf_sim_link_init(WfSimLink *self)
{
	for (guint i = 0; i < 2; i++)
		g_mutex_init(&self->write_mutex[i]);
}

/**
 * wf_sim_link_new:
 * @generation: which appearance of the port this is (1, 2, …)
 * @rate: bytes per second each way, 0 = unthrottled
 * @turnaround_us: round-trip latency, split evenly between the directions
 * @faults: (nullable): byte faults to apply
 */
WfSimLink *
wf_sim_link_new(guint generation, guint rate, guint turnaround_us, WfSimFaults *faults)
{
	WfSimLink *self = g_object_new(WF_TYPE_SIM_LINK, NULL);
	gint64 one_way_us = turnaround_us / 2;

	self->generation = generation;
	self->faults = faults != NULL ? g_object_ref(faults) : wf_sim_faults_new();
	for (guint i = 0; i < 2; i++)
		self->channels[i] = wf_sim_channel_new(rate, one_way_us, WF_SIM_LINK_QUEUE_LIMIT);
	return self;
}

/**
 * wf_sim_link_get_generation:
 * @self: a #WfSimLink
 */
guint
wf_sim_link_get_generation(WfSimLink *self)
{
	g_return_val_if_fail(WF_IS_SIM_LINK(self), 0);
	return self->generation;
}

/**
 * wf_sim_link_get_channel:
 * @self: a #WfSimLink
 * @direction: %WF_SIM_DIRECTION_OUT for host-to-watch
 *
 * Returns: (transfer none): the channel
 */
WfSimChannel *
wf_sim_link_get_channel(WfSimLink *self, WfSimDirection direction)
{
	g_return_val_if_fail(WF_IS_SIM_LINK(self), NULL);
	return self->channels[direction];
}

static gboolean
wf_sim_link_write_plain(WfSimLink *self,
			WfSimDirection direction,
			const guint8 *buf,
			gsize bufsz,
			gint64 deadline_us,
			GCancellable *cancellable,
			GError **error)
{
	if (!wf_sim_channel_write(
		    self->channels[direction], buf, bufsz, deadline_us, cancellable, error))
		return FALSE;
	self->position[direction] += bufsz;
	return TRUE;
}

/* applies one byte fault at the start of @buf; returns bytes consumed */
static gboolean
wf_sim_link_apply_fault(WfSimLink *self,
			WfSimDirection direction,
			const WfSimByteFault *fault,
			const guint8 *buf,
			gsize bufsz,
			gsize *consumed,
			gint64 deadline_us,
			GCancellable *cancellable,
			GError **error)
{
	guint8 byte;

	switch (fault->kind) {
	case WF_SIM_BYTE_FAULT_DROP:
		g_debug("fault: dropping byte %" G_GUINT64_FORMAT " (%s)",
			fault->position,
			direction == WF_SIM_DIRECTION_OUT ? "out" : "in");
		self->position[direction]++;
		*consumed = 1;
		return TRUE;
	case WF_SIM_BYTE_FAULT_CORRUPT:
		byte = buf[0] ^ (guint8)fault->value;
		*consumed = 1;
		return wf_sim_link_write_plain(
			self, direction, &byte, 1, deadline_us, cancellable, error);
	case WF_SIM_BYTE_FAULT_STALL:
		wf_sim_channel_stall(self->channels[direction], (gint64)fault->value * 1000);
		*consumed = 0;
		return TRUE;
	case WF_SIM_BYTE_FAULT_DISCONNECT:
	default:
		/* wf_sim_link_disconnect() does this one */
		*consumed = 0;
		return TRUE;
	}
}

/*
 * The port vanishes right after the @n bytes of @buf have crossed: the other
 * direction is closed first, so that nothing the peer sends in reaction to
 * those bytes gets through, then the bytes go and their own direction closes
 * when the last of them arrives.
 */
static gboolean
wf_sim_link_disconnect(WfSimLink *self,
		       WfSimDirection direction,
		       const guint8 *buf,
		       gsize n,
		       gint64 deadline_us,
		       GCancellable *cancellable,
		       GError **error)
{
	WfSimChannel *channel = self->channels[direction];
	gint64 at = wf_sim_channel_predict_arrival(channel, n);
	gboolean ret = TRUE;

	g_debug("fault: port vanishes after %" G_GUINT64_FORMAT " bytes",
		self->position[direction] + n);
	g_atomic_int_set(&self->fault_disconnect, TRUE);
	wf_sim_channel_close(self->channels[1 - direction], at);
	if (n > 0)
		ret = wf_sim_link_write_plain(
			self, direction, buf, n, deadline_us, cancellable, error);
	/* the bytes may have started a little after the prediction */
	wf_sim_channel_close(channel, MAX(at, wf_sim_channel_get_drain_time(channel)));
	return ret;
}

/**
 * wf_sim_link_write:
 * @self: a #WfSimLink
 * @direction: which way
 * @buf: bytes
 * @bufsz: how many
 * @deadline_us: how long to wait for room, %WF_SIM_FOREVER for ever
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Sends @buf through the byte faults and onto the wire.
 */
gboolean
wf_sim_link_write(WfSimLink *self,
		  WfSimDirection direction,
		  const guint8 *buf,
		  gsize bufsz,
		  gint64 deadline_us,
		  GCancellable *cancellable,
		  GError **error)
{
	gboolean ret = TRUE;
	gsize done = 0;

	g_return_val_if_fail(WF_IS_SIM_LINK(self), FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);

	g_mutex_lock(&self->write_mutex[direction]);
	if (wf_sim_channel_is_closed(self->channels[direction])) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_DEVICE_LOST, "the port has gone away");
		ret = FALSE;
	}
	while (ret && done < bufsz) {
		guint64 pos = self->position[direction];
		WfSimByteFault fault;
		gsize consumed = 0;

		if (!wf_sim_faults_take_byte_fault(
			    self->faults, direction, pos, pos + (bufsz - done), &fault)) {
			ret = wf_sim_link_write_plain(self,
						      direction,
						      buf + done,
						      bufsz - done,
						      deadline_us,
						      cancellable,
						      error);
			break;
		}
		if (fault.kind == WF_SIM_BYTE_FAULT_DISCONNECT) {
			/* the rest of @buf never crosses */
			ret = wf_sim_link_disconnect(self,
						     direction,
						     buf + done,
						     (gsize)(fault.position - pos),
						     deadline_us,
						     cancellable,
						     error);
			self->position[direction] = pos + (bufsz - done);
			break;
		}
		/* the clean bytes before the fault */
		if (fault.position > pos) {
			gsize n = (gsize)(fault.position - pos);
			ret = wf_sim_link_write_plain(
				self, direction, buf + done, n, deadline_us, cancellable, error);
			done += n;
			if (!ret)
				break;
		}
		ret = wf_sim_link_apply_fault(self,
					      direction,
					      &fault,
					      buf + done,
					      bufsz - done,
					      &consumed,
					      deadline_us,
					      cancellable,
					      error);
		done += consumed;
	}
	g_mutex_unlock(&self->write_mutex[direction]);
	return ret;
}

/**
 * wf_sim_link_read:
 * @self: a #WfSimLink
 * @direction: the direction whose bytes to read (%WF_SIM_DIRECTION_OUT: the
 *   watch reads what the host sent)
 * @buf: where to put them
 * @bufsz: the most to read
 * @actual: (out): how many were read
 * @deadline_us: monotonic deadline, %WF_SIM_FOREVER for ever
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): %WF_ERROR_TIMED_OUT or %WF_ERROR_DEVICE_LOST
 */
gboolean
wf_sim_link_read(WfSimLink *self,
		 WfSimDirection direction,
		 guint8 *buf,
		 gsize bufsz,
		 gsize *actual,
		 gint64 deadline_us,
		 GCancellable *cancellable,
		 GError **error)
{
	g_return_val_if_fail(WF_IS_SIM_LINK(self), FALSE);
	return wf_sim_channel_read(
		self->channels[direction], buf, bufsz, actual, deadline_us, cancellable, error);
}

/**
 * wf_sim_link_vanish:
 * @self: a #WfSimLink
 * @at_us: monotonic time the port disappears; 0 = now
 */
void
wf_sim_link_vanish(WfSimLink *self, gint64 at_us)
{
	g_return_if_fail(WF_IS_SIM_LINK(self));
	if (at_us <= 0)
		at_us = g_get_monotonic_time();
	for (guint i = 0; i < 2; i++)
		wf_sim_channel_close(self->channels[i], at_us);
}

/**
 * wf_sim_link_is_gone:
 * @self: a #WfSimLink
 */
gboolean
wf_sim_link_is_gone(WfSimLink *self)
{
	g_return_val_if_fail(WF_IS_SIM_LINK(self), TRUE);
	return wf_sim_channel_is_closed(self->channels[WF_SIM_DIRECTION_OUT]);
}

/**
 * wf_sim_link_get_fault_disconnect:
 * @self: a #WfSimLink
 *
 * Returns: %TRUE if a disconnect fault ended (or will end) this link
 */
gboolean
wf_sim_link_get_fault_disconnect(WfSimLink *self)
{
	g_return_val_if_fail(WF_IS_SIM_LINK(self), FALSE);
	return g_atomic_int_get(&self->fault_disconnect);
}
