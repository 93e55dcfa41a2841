/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-progress.h"

typedef struct {
	gchar *id;
	gchar *message;
	guint weight;
} WfProgressStep;

struct _WfProgress {
	GObject parent_instance;
	GMutex mutex; /* getters may be called from another thread */
	GPtrArray *steps;
	guint current;
	guint weight_total;
	guint weight_done;
	gchar *message;
	guint64 bytes_done;
	guint64 bytes_total;
	gint64 step_start_us;
	gdouble rate; /* bytes per second in the current step, smoothed */
	gint64 rate_sample_us;
	guint64 rate_sample_bytes;
	gboolean finished;
};

enum { SIGNAL_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfProgress, wf_progress, G_TYPE_OBJECT)

static void
wf_progress_step_free(gpointer data)
{
	WfProgressStep *step = data;
	g_free(step->id);
	g_free(step->message);
	g_free(step);
}

static void
wf_progress_finalize(GObject *object)
{
	WfProgress *self = WF_PROGRESS(object);
	g_ptr_array_unref(self->steps);
	g_free(self->message);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(wf_progress_parent_class)->finalize(object);
}

static void
wf_progress_class_init(WfProgressClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_progress_finalize;
	/**
	 * WfProgress::changed:
	 *
	 * Something changed: fraction, bytes, message or step.
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST,
					       0,
					       NULL,
					       NULL,
					       NULL,
					       G_TYPE_NONE,
					       0);
}

static void
wf_progress_init(WfProgress *self)
{
	g_mutex_init(&self->mutex);
	self->steps = g_ptr_array_new_with_free_func(wf_progress_step_free);
	self->step_start_us = g_get_monotonic_time();
	self->rate_sample_us = self->step_start_us;
}

WfProgress *
wf_progress_new(void)
{
	return g_object_new(WF_TYPE_PROGRESS, NULL);
}

static WfProgressStep *
wf_progress_current_step(WfProgress *self)
{
	if (self->current >= self->steps->len)
		return NULL;
	return g_ptr_array_index(self->steps, self->current);
}

/**
 * wf_progress_add_step:
 * @self: a #WfProgress
 * @id: a stable identifier, e.g. "read", used in JSON progress events
 * @weight: relative share of the whole operation
 * @message: (nullable): what the user is told during this step
 */
void
wf_progress_add_step(WfProgress *self, const gchar *id, guint weight, const gchar *message)
{
	WfProgressStep *step;

	g_return_if_fail(WF_IS_PROGRESS(self));
	step = g_new0(WfProgressStep, 1);
	step->id = g_strdup(id);
	step->message = g_strdup(message);
	step->weight = weight;
	g_mutex_lock(&self->mutex);
	g_ptr_array_add(self->steps, step);
	self->weight_total += weight;
	if (self->steps->len == 1 && message != NULL && self->message == NULL)
		self->message = g_strdup(message);
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_progress_step_done:
 * @self: a #WfProgress
 *
 * Finishes the current step and starts the next one.
 */
void
wf_progress_step_done(WfProgress *self)
{
	WfProgressStep *step;

	g_return_if_fail(WF_IS_PROGRESS(self));
	g_mutex_lock(&self->mutex);
	step = wf_progress_current_step(self);
	if (step != NULL) {
		self->weight_done += step->weight;
		self->current++;
	}
	step = wf_progress_current_step(self);
	if (step != NULL && step->message != NULL) {
		g_free(self->message);
		self->message = g_strdup(step->message);
	}
	self->bytes_done = 0;
	self->bytes_total = 0;
	self->rate = 0;
	self->step_start_us = g_get_monotonic_time();
	self->rate_sample_us = self->step_start_us;
	self->rate_sample_bytes = 0;
	g_mutex_unlock(&self->mutex);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

/* Exponentially smoothed rate over samples at least 200 ms apart, so a
 * bursty link does not make the ETA jump around. */
static void
wf_progress_update_rate_locked(WfProgress *self)
{
	gint64 now = g_get_monotonic_time();
	gint64 dt = now - self->rate_sample_us;
	gdouble sample;

	if (self->bytes_done < self->rate_sample_bytes) {
		self->rate_sample_bytes = self->bytes_done;
		self->rate_sample_us = now;
		return;
	}
	if (dt < 200000)
		return;
	sample = (self->bytes_done - self->rate_sample_bytes) * 1e6 / dt;
	self->rate = self->rate > 0 ? 0.7 * self->rate + 0.3 * sample : sample;
	self->rate_sample_us = now;
	self->rate_sample_bytes = self->bytes_done;
}

void
wf_progress_set_bytes(WfProgress *self, guint64 done, guint64 total)
{
	g_return_if_fail(WF_IS_PROGRESS(self));
	g_mutex_lock(&self->mutex);
	self->bytes_done = done;
	self->bytes_total = total;
	wf_progress_update_rate_locked(self);
	g_mutex_unlock(&self->mutex);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

void
wf_progress_set_message(WfProgress *self, const gchar *message)
{
	g_return_if_fail(WF_IS_PROGRESS(self));
	g_mutex_lock(&self->mutex);
	g_free(self->message);
	self->message = g_strdup(message);
	g_mutex_unlock(&self->mutex);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

void
wf_progress_finish(WfProgress *self)
{
	g_return_if_fail(WF_IS_PROGRESS(self));
	g_mutex_lock(&self->mutex);
	self->current = self->steps->len;
	self->weight_done = self->weight_total;
	self->finished = TRUE;
	g_mutex_unlock(&self->mutex);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

/**
 * wf_progress_get_fraction:
 *
 * Returns: the whole operation's progress, 0.0 to 1.0
 */
gdouble
wf_progress_get_fraction(WfProgress *self)
{
	WfProgressStep *step;
	gdouble done;

	g_return_val_if_fail(WF_IS_PROGRESS(self), 0);
	g_mutex_lock(&self->mutex);
	if (self->finished || self->weight_total == 0) {
		done = self->finished ? 1.0 : 0.0;
		if (!self->finished && self->bytes_total > 0)
			done = (gdouble)self->bytes_done / self->bytes_total;
		g_mutex_unlock(&self->mutex);
		return CLAMP(done, 0.0, 1.0);
	}
	done = self->weight_done;
	step = wf_progress_current_step(self);
	if (step != NULL && self->bytes_total > 0)
		done += step->weight * ((gdouble)self->bytes_done / self->bytes_total);
	g_mutex_unlock(&self->mutex);
	return CLAMP(done / self->weight_total, 0.0, 1.0);
}

const gchar *
wf_progress_get_step_id(WfProgress *self)
{
	WfProgressStep *step;
	const gchar *id = NULL;

	g_return_val_if_fail(WF_IS_PROGRESS(self), NULL);
	g_mutex_lock(&self->mutex);
	step = wf_progress_current_step(self);
	if (step != NULL)
		id = step->id; /* steps are never freed before the progress */
	g_mutex_unlock(&self->mutex);
	return id;
}

/**
 * wf_progress_get_message:
 *
 * Returns: the current message; valid until the next update from the
 *   updating thread, so copy it when reading from another thread.
 */
const gchar *
wf_progress_get_message(WfProgress *self)
{
	g_return_val_if_fail(WF_IS_PROGRESS(self), NULL);
	return self->message;
}

guint64
wf_progress_get_bytes_done(WfProgress *self)
{
	g_return_val_if_fail(WF_IS_PROGRESS(self), 0);
	return self->bytes_done;
}

guint64
wf_progress_get_bytes_total(WfProgress *self)
{
	g_return_val_if_fail(WF_IS_PROGRESS(self), 0);
	return self->bytes_total;
}

/**
 * wf_progress_get_rate:
 *
 * Returns: bytes per second in the current step, or 0 when not known yet
 */
gdouble
wf_progress_get_rate(WfProgress *self)
{
	gdouble rate;

	g_return_val_if_fail(WF_IS_PROGRESS(self), 0);
	g_mutex_lock(&self->mutex);
	rate = self->rate;
	if (rate == 0 && self->bytes_done > 0) {
		gint64 dt = g_get_monotonic_time() - self->step_start_us;
		if (dt > 0)
			rate = self->bytes_done * 1e6 / dt;
	}
	g_mutex_unlock(&self->mutex);
	return rate;
}

/**
 * wf_progress_get_eta_seconds:
 *
 * Returns: seconds left in the current step, or -1 when not known
 */
gdouble
wf_progress_get_eta_seconds(WfProgress *self)
{
	gdouble rate = wf_progress_get_rate(self);

	if (rate <= 0 || self->bytes_total == 0)
		return -1;
	return (self->bytes_total - MIN(self->bytes_done, self->bytes_total)) / rate;
}
