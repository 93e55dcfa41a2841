/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-channel.h"

#include <string.h>

#include "wf-error.h"

/*
 * One direction of the USB-serial link: a queue of timestamped chunks. A
 * write never copies byte by byte and never sleeps to pace the link;
 * instead every chunk records when its first byte starts to cross, and a
 * reader sees byte i of it once  start + (i + 1) / rate + latency  has
 * passed. So an unthrottled link costs one memcpy each way, and a throttled
 * one is exact without any per-byte wake-ups.
 *
 * A closed channel keeps the bytes that had arrived before it closed (a
 * reader may still take them) and then reports the device as lost.
 */

/* how often a wait looks at a GCancellable */
#define WF_SIM_CHANNEL_CANCEL_SLICE_US 20000

typedef struct {
	guint8 *data;
	gsize len;
	gsize off; /* bytes already read */
	gint64 t0; /* when the first byte starts to cross */
} WfSimChunk;

struct _WfSimChannel {
	GObject parent_instance;
	GMutex mutex;
	GCond cond;
	GQueue chunks;
	guint rate;	    /* bytes per second; 0 = unthrottled */
	gint64 latency_us;  /* one way */
	gsize limit;	    /* unread bytes a writer may queue before it waits */
	gsize queued;	    /* unread bytes */
	gint64 busy_until;  /* when the line is free for the next byte */
	gint64 close_at;    /* WF_SIM_FOREVER while open */
	gboolean no_writes; /* closed or closing: nothing new gets on the wire */
	gint64 first_arrival;
	guint64 bytes_written;
};

G_DEFINE_FINAL_TYPE(WfSimChannel, wf_sim_channel, G_TYPE_OBJECT)

static void
wf_sim_chunk_free(gpointer data)
{
	WfSimChunk *chunk = data;
	g_free(chunk->data);
	g_free(chunk);
}

static void
wf_sim_channel_finalize(GObject *object)
{
	WfSimChannel *self = WF_SIM_CHANNEL(object);

	g_queue_clear_full(&self->chunks, wf_sim_chunk_free);
	g_mutex_clear(&self->mutex);
	g_cond_clear(&self->cond);
	G_OBJECT_CLASS(wf_sim_channel_parent_class)->finalize(object);
}

static void
wf_sim_channel_class_init(WfSimChannelClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_sim_channel_finalize;
}

static void
wf_sim_channel_init(WfSimChannel *self)
{
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	g_queue_init(&self->chunks);
	self->close_at = WF_SIM_FOREVER;
	self->first_arrival = -1;
}

/**
 * wf_sim_channel_new:
 * @rate: bytes per second, 0 = unthrottled
 * @latency_us: one-way latency
 * @limit: unread bytes a writer may queue before it has to wait (USB flow
 *   control); 0 = no limit
 */
WfSimChannel *
wf_sim_channel_new(guint rate, gint64 latency_us, gsize limit)
{
	WfSimChannel *self = g_object_new(WF_TYPE_SIM_CHANNEL, NULL);
	self->rate = rate;
	self->latency_us = MAX(latency_us, 0);
	self->limit = limit;
	return self;
}

/* µs the line needs for @n bytes */
static gint64
wf_sim_channel_duration(WfSimChannel *self, guint64 n)
{
	if (self->rate == 0)
		return 0;
	return (gint64)((n * G_USEC_PER_SEC + self->rate - 1) / self->rate);
}

/* when byte @index of @chunk arrives at the reader */
static gint64
wf_sim_channel_arrival(WfSimChannel *self, WfSimChunk *chunk, gsize index)
{
	return chunk->t0 + self->latency_us + wf_sim_channel_duration(self, (guint64)index + 1);
}

/* how many bytes of @chunk (from its start) have arrived at @t */
static gsize
wf_sim_channel_arrived(WfSimChannel *self, WfSimChunk *chunk, gint64 t)
{
	gint64 dt = t - self->latency_us - chunk->t0;
	guint64 n;

	if (self->rate == 0)
		return dt >= 0 ? chunk->len : 0;
	if (dt <= 0)
		return 0;
	n = (guint64)dt * self->rate / G_USEC_PER_SEC;
	return (gsize)MIN(n, (guint64)chunk->len);
}

static gboolean
wf_sim_channel_wait_locked(WfSimChannel *self, gint64 until, GCancellable *cancellable)
{
	if (cancellable != NULL)
		until = MIN(until, g_get_monotonic_time() + WF_SIM_CHANNEL_CANCEL_SLICE_US);
	if (until == WF_SIM_FOREVER) {
		g_cond_wait(&self->cond, &self->mutex);
		return TRUE;
	}
	return g_cond_wait_until(&self->cond, &self->mutex, until);
}

static gboolean
wf_sim_channel_set_lost(GError **error)
{
	g_set_error_literal(error, WF_ERROR, WF_ERROR_DEVICE_LOST, "the port has gone away");
	return FALSE;
}

static gboolean
wf_sim_channel_wait_for_room_locked(WfSimChannel *self,
				    gsize bufsz,
				    gint64 deadline_us,
				    GCancellable *cancellable,
				    GError **error)
{
	while (self->limit > 0 && self->queued > 0 && self->queued + bufsz > self->limit) {
		gint64 now = g_get_monotonic_time();

		if (now >= self->close_at)
			return wf_sim_channel_set_lost(error);
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (now >= deadline_us) {
			g_set_error_literal(error,
					    WF_ERROR,
					    WF_ERROR_TIMED_OUT,
					    "the other side does not take the bytes");
			return FALSE;
		}
		wf_sim_channel_wait_locked(self, MIN(deadline_us, self->close_at), cancellable);
	}
	return TRUE;
}

/**
 * wf_sim_channel_write:
 * @self: a #WfSimChannel
 * @buf: bytes
 * @bufsz: how many
 * @deadline_us: monotonic time until which to wait for room, or %WF_SIM_FOREVER
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): return location
 *
 * Queues @buf; it arrives at the other end as the link model says. Waits only
 * when the reader has fallen more than the channel's limit behind.
 */
gboolean
wf_sim_channel_write(WfSimChannel *self,
		     const guint8 *buf,
		     gsize bufsz,
		     gint64 deadline_us,
		     GCancellable *cancellable,
		     GError **error)
{
	WfSimChunk *chunk;
	gint64 now;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);

	if (bufsz == 0)
		return TRUE;
	g_mutex_lock(&self->mutex);
	if (!wf_sim_channel_wait_for_room_locked(self, bufsz, deadline_us, cancellable, error)) {
		g_mutex_unlock(&self->mutex);
		return FALSE;
	}
	now = g_get_monotonic_time();
	if (self->no_writes || now >= self->close_at) {
		g_mutex_unlock(&self->mutex);
		return wf_sim_channel_set_lost(error);
	}
	chunk = g_new0(WfSimChunk, 1);
	chunk->data = g_memdup2(buf, bufsz);
	chunk->len = bufsz;
	chunk->t0 = MAX(now, self->busy_until);
	self->busy_until = chunk->t0 + wf_sim_channel_duration(self, bufsz);
	if (self->first_arrival < 0)
		self->first_arrival = wf_sim_channel_arrival(self, chunk, 0);
	self->queued += bufsz;
	self->bytes_written += bufsz;
	g_queue_push_tail(&self->chunks, chunk);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
	return TRUE;
}

/**
 * wf_sim_channel_stall:
 * @self: a #WfSimChannel
 * @stall_us: how long
 *
 * The line stops for @stall_us before the next byte written.
 */
void
wf_sim_channel_stall(WfSimChannel *self, gint64 stall_us)
{
	g_return_if_fail(WF_IS_SIM_CHANNEL(self));

	g_mutex_lock(&self->mutex);
	self->busy_until = MAX(self->busy_until, g_get_monotonic_time()) + MAX(stall_us, 0);
	g_mutex_unlock(&self->mutex);
}

/* copies what has arrived by @t; returns bytes copied */
static gsize
wf_sim_channel_take_locked(WfSimChannel *self, guint8 *buf, gsize bufsz, gint64 t)
{
	gsize done = 0;

	while (done < bufsz) {
		WfSimChunk *chunk = g_queue_peek_head(&self->chunks);
		gsize arrived, n;

		if (chunk == NULL)
			break;
		arrived = wf_sim_channel_arrived(self, chunk, t);
		if (arrived <= chunk->off)
			break;
		n = MIN(arrived - chunk->off, bufsz - done);
		if (buf != NULL)
			memcpy(buf + done, chunk->data + chunk->off, n);
		chunk->off += n;
		done += n;
		if (chunk->off < chunk->len)
			break;
		wf_sim_chunk_free(g_queue_pop_head(&self->chunks));
	}
	self->queued -= done;
	if (done > 0)
		g_cond_broadcast(&self->cond);
	return done;
}

static gint64
wf_sim_channel_next_arrival_locked(WfSimChannel *self)
{
	WfSimChunk *chunk = g_queue_peek_head(&self->chunks);
	if (chunk == NULL)
		return WF_SIM_FOREVER;
	return wf_sim_channel_arrival(self, chunk, chunk->off);
}

/**
 * wf_sim_channel_read:
 * @self: a #WfSimChannel
 * @buf: where to put the bytes
 * @bufsz: the most to read
 * @actual: (out): how many were read, at least one on success
 * @deadline_us: monotonic time to give up at, or %WF_SIM_FOREVER
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): %WF_ERROR_TIMED_OUT or %WF_ERROR_DEVICE_LOST
 */
gboolean
wf_sim_channel_read(WfSimChannel *self,
		    guint8 *buf,
		    gsize bufsz,
		    gsize *actual,
		    gint64 deadline_us,
		    GCancellable *cancellable,
		    GError **error)
{
	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), FALSE);
	g_return_val_if_fail(buf != NULL && bufsz > 0, FALSE);

	g_mutex_lock(&self->mutex);
	for (;;) {
		gint64 now = g_get_monotonic_time();
		gsize got = wf_sim_channel_take_locked(self, buf, bufsz, MIN(now, self->close_at));

		if (got > 0) {
			g_mutex_unlock(&self->mutex);
			if (actual != NULL)
				*actual = got;
			return TRUE;
		}
		if (now >= self->close_at) {
			g_mutex_unlock(&self->mutex);
			return wf_sim_channel_set_lost(error);
		}
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			g_mutex_unlock(&self->mutex);
			return FALSE;
		}
		if (now >= deadline_us) {
			g_mutex_unlock(&self->mutex);
			g_set_error_literal(error, WF_ERROR, WF_ERROR_TIMED_OUT, "no data");
			return FALSE;
		}
		wf_sim_channel_wait_locked(self,
					   MIN(MIN(deadline_us, self->close_at),
					       wf_sim_channel_next_arrival_locked(self)),
					   cancellable);
	}
}

/**
 * wf_sim_channel_predict_arrival:
 * @self: a #WfSimChannel
 * @n: bytes about to be written
 *
 * Returns: when the last of @n bytes written now would arrive (for @n = 0:
 *   when everything queued so far has arrived, or now)
 */
gint64
wf_sim_channel_predict_arrival(WfSimChannel *self, gsize n)
{
	gint64 now, ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), 0);
	g_mutex_lock(&self->mutex);
	now = g_get_monotonic_time();
	if (n == 0)
		ret = MAX(self->busy_until + self->latency_us, now);
	else
		ret = MAX(now, self->busy_until) + wf_sim_channel_duration(self, n) +
		      self->latency_us;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_close:
 * @self: a #WfSimChannel
 * @at_us: monotonic time of the close; bytes arriving after it are lost.
 *   Closing again only ever moves the time earlier.
 *
 * From this call on nothing more can be written, even if @at_us is still to
 * come: what was queued before may arrive, nothing new does.
 */
void
wf_sim_channel_close(WfSimChannel *self, gint64 at_us)
{
	g_return_if_fail(WF_IS_SIM_CHANNEL(self));

	g_mutex_lock(&self->mutex);
	self->no_writes = TRUE;
	self->close_at = MIN(self->close_at, at_us);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_channel_is_closed:
 * @self: a #WfSimChannel
 */
gboolean
wf_sim_channel_is_closed(WfSimChannel *self)
{
	gboolean ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), TRUE);
	g_mutex_lock(&self->mutex);
	ret = g_get_monotonic_time() >= self->close_at;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_wait_closed:
 * @self: a #WfSimChannel
 * @deadline_us: monotonic time to stop waiting at
 *
 * Sleeps until @deadline_us, or less if the channel closes (or someone calls
 * wf_sim_channel_wake() and it has closed meanwhile).
 *
 * Returns: %TRUE if the channel is closed
 */
gboolean
wf_sim_channel_wait_closed(WfSimChannel *self, gint64 deadline_us)
{
	gboolean ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), TRUE);
	g_mutex_lock(&self->mutex);
	for (;;) {
		gint64 now = g_get_monotonic_time();
		if (now >= self->close_at || now >= deadline_us)
			break;
		wf_sim_channel_wait_locked(self, MIN(deadline_us, self->close_at), NULL);
	}
	ret = g_get_monotonic_time() >= self->close_at;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_discard:
 * @self: a #WfSimChannel
 *
 * Drops the bytes that have arrived and not been read (what tcflush does to
 * a tty's input queue); bytes still on the way stay.
 *
 * Returns: how many bytes were dropped
 */
gsize
wf_sim_channel_discard(WfSimChannel *self)
{
	gsize ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), 0);
	g_mutex_lock(&self->mutex);
	ret = wf_sim_channel_take_locked(
		self, NULL, G_MAXSIZE, MIN(g_get_monotonic_time(), self->close_at));
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_get_drain_time:
 * @self: a #WfSimChannel
 *
 * Returns: when the last byte written so far will have arrived
 */
gint64
wf_sim_channel_get_drain_time(WfSimChannel *self)
{
	gint64 ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), 0);
	g_mutex_lock(&self->mutex);
	ret = MAX(self->busy_until + self->latency_us, g_get_monotonic_time());
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_get_first_arrival:
 * @self: a #WfSimChannel
 *
 * Returns: when the first byte ever written arrived (or will), or -1
 */
gint64
wf_sim_channel_get_first_arrival(WfSimChannel *self)
{
	gint64 ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), -1);
	g_mutex_lock(&self->mutex);
	ret = self->first_arrival;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_get_bytes_written:
 * @self: a #WfSimChannel
 */
guint64
wf_sim_channel_get_bytes_written(WfSimChannel *self)
{
	guint64 ret;

	g_return_val_if_fail(WF_IS_SIM_CHANNEL(self), 0);
	g_mutex_lock(&self->mutex);
	ret = self->bytes_written;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_channel_wake:
 * @self: a #WfSimChannel
 *
 * Wakes every waiter so that it re-checks the world (used when state outside
 * the channel, such as a deadline, changed).
 */
void
wf_sim_channel_wake(WfSimChannel *self)
{
	g_return_if_fail(WF_IS_SIM_CHANNEL(self));
	g_mutex_lock(&self->mutex);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}
