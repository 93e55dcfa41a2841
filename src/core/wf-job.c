/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-job.h"

#include "wf-error.h"

/* What the worker last reported, waiting to be published on the main
 * context. Written by the worker, read by the idle, both under the mutex. */
/* how often the main context hears about progress at most: enough for a
 * smooth progress bar, cheap for the main loop */
#define WF_JOB_PUBLISH_INTERVAL_US (20 * 1000)

typedef struct {
	gdouble fraction;
	gchar *message;
	const gchar *step; /* owned by the WfProgress, which outlives the job run */
	guint64 bytes_done;
	guint64 bytes_total;
	gdouble rate;
} WfJobSnapshot;

struct _WfJob {
	GObject parent_instance;
	gchar *title;
	WfJobFunc func;
	gpointer data;
	GDestroyNotify destroy;
	WfJobFlags flags;
	WfProgress *progress;
	GCancellable *cancellable;
	GTask *task; /* set while running; the idle sources hang on it */
	gulong progress_handler;

	GMutex mutex;
	WfJobSnapshot pending;
	gboolean update_queued; /* an idle is attached and has not run yet */
	gint64 last_publish_us;
	GSource *update_source; /* the queued publication, destroyed on completion */

	/* published, main context only */
	WfJobState state;
	WfJobSnapshot shown;
	GError *error;
	gint64 start_us;
	gint64 end_us;
};

enum {
	PROP_0,
	PROP_TITLE,
	PROP_STATE,
	PROP_FRACTION,
	PROP_MESSAGE,
	PROP_STEP,
	PROP_BYTES_DONE,
	PROP_BYTES_TOTAL,
	PROP_RATE,
	N_PROPS
};
static GParamSpec *properties[N_PROPS] = {NULL};

enum { SIGNAL_COMPLETED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfJob, wf_job, G_TYPE_OBJECT)

GType
wf_job_state_get_type(void)
{
	static gsize type_id = 0;
	static const GEnumValue values[] = {
		{WF_JOB_STATE_QUEUED, "WF_JOB_STATE_QUEUED", "queued"},
		{WF_JOB_STATE_RUNNING, "WF_JOB_STATE_RUNNING", "running"},
		{WF_JOB_STATE_CANCELLING, "WF_JOB_STATE_CANCELLING", "cancelling"},
		{WF_JOB_STATE_SUCCEEDED, "WF_JOB_STATE_SUCCEEDED", "succeeded"},
		{WF_JOB_STATE_FAILED, "WF_JOB_STATE_FAILED", "failed"},
		{WF_JOB_STATE_CANCELLED, "WF_JOB_STATE_CANCELLED", "cancelled"},
		{0, NULL, NULL},
	};

	if (g_once_init_enter(&type_id)) {
		GType id = g_enum_register_static(g_intern_static_string("WfJobState"), values);
		g_once_init_leave(&type_id, id);
	}
	return type_id;
}

/**
 * wf_job_state_to_string:
 *
 * Returns: a stable, untranslated name such as "running"
 */
const gchar *
wf_job_state_to_string(WfJobState state)
{
	g_autoptr(GEnumClass) klass = g_type_class_ref(WF_TYPE_JOB_STATE);
	GEnumValue *value = g_enum_get_value(klass, state);

	return value != NULL ? value->value_nick : NULL;
}

static void
wf_job_snapshot_clear(WfJobSnapshot *snap)
{
	g_clear_pointer(&snap->message, g_free);
}

static void
wf_job_set_state(WfJob *self, WfJobState state)
{
	if (self->state == state)
		return;
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
}

/* Main context: copy the pending snapshot to the published one and notify
 * only what changed, so a bound progress bar redraws once per batch. */
static void
wf_job_publish(WfJob *self)
{
	WfJobSnapshot snap = {0};
	gboolean queued;

	g_mutex_lock(&self->mutex);
	queued = self->update_queued;
	self->update_queued = FALSE;
	self->last_publish_us = g_get_monotonic_time();
	if (queued) {
		snap = self->pending;
		snap.message = g_strdup(self->pending.message);
	}
	g_mutex_unlock(&self->mutex);
	if (!queued)
		return;

	g_object_freeze_notify(G_OBJECT(self));
	if (snap.fraction != self->shown.fraction) {
		self->shown.fraction = snap.fraction;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_FRACTION]);
	}
	if (g_strcmp0(snap.message, self->shown.message) != 0) {
		g_free(self->shown.message);
		self->shown.message = g_steal_pointer(&snap.message);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_MESSAGE]);
	}
	if (snap.step != self->shown.step) {
		self->shown.step = snap.step;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STEP]);
	}
	if (snap.bytes_done != self->shown.bytes_done) {
		self->shown.bytes_done = snap.bytes_done;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BYTES_DONE]);
	}
	if (snap.bytes_total != self->shown.bytes_total) {
		self->shown.bytes_total = snap.bytes_total;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BYTES_TOTAL]);
	}
	if (snap.rate != self->shown.rate) {
		self->shown.rate = snap.rate;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_RATE]);
	}
	g_object_thaw_notify(G_OBJECT(self));
	g_free(snap.message);
}

static gboolean
wf_job_publish_idle_cb(gpointer user_data)
{
	WfJob *self = g_task_get_source_object(G_TASK(user_data));

	wf_job_publish(self);
	return G_SOURCE_REMOVE;
}

/* Worker thread (or whichever thread updates the progress). */
static void
wf_job_progress_changed_cb(WfProgress *progress, gpointer user_data)
{
	WfJob *self = WF_JOB(user_data);
	const gchar *message = wf_progress_get_message(progress);
	g_autoptr(GTask) task = NULL;
	gint64 delay_us = 0;

	g_mutex_lock(&self->mutex);
	self->pending.fraction = wf_progress_get_fraction(progress);
	self->pending.step = wf_progress_get_step_id(progress);
	self->pending.bytes_done = wf_progress_get_bytes_done(progress);
	self->pending.bytes_total = wf_progress_get_bytes_total(progress);
	self->pending.rate = wf_progress_get_rate(progress);
	/* the message pointer is only stable in the updating thread: copy it */
	if (g_strcmp0(self->pending.message, message) != 0) {
		g_free(self->pending.message);
		self->pending.message = g_strdup(message);
	}
	if (!self->update_queued && self->task != NULL) {
		self->update_queued = TRUE;
		task = g_object_ref(self->task);
		delay_us =
			self->last_publish_us + WF_JOB_PUBLISH_INTERVAL_US - g_get_monotonic_time();
	}
	g_mutex_unlock(&self->mutex);

	if (task != NULL) {
		g_autoptr(GSource) source = NULL;

		/* at most one publication per interval: an idle main loop would
		 * otherwise dispatch one idle per update */
		if (delay_us > 0)
			source = g_timeout_source_new(MAX(delay_us / 1000, 1));
		else
			source = g_idle_source_new();

		g_source_set_static_name(source, "[wristflash] job progress");
		/* runs in the task's (creator's) context and keeps the task alive */
		g_task_attach_source(task, source, wf_job_publish_idle_cb);
		g_mutex_lock(&self->mutex);
		if (self->update_source != NULL)
			g_source_unref(self->update_source);
		self->update_source = g_steal_pointer(&source);
		g_mutex_unlock(&self->mutex);
	}
}

static void
wf_job_thread_func(GTask *task,
		   gpointer source_object,
		   gpointer task_data,
		   GCancellable *cancellable)
{
	WfJob *self = WF_JOB(source_object);
	g_autoptr(GError) error = NULL;

	if (g_cancellable_set_error_if_cancelled(cancellable, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!self->func(self, self->progress, cancellable, &error)) {
		if (error == NULL)
			g_set_error(&error,
				    WF_ERROR,
				    WF_ERROR_INTERNAL,
				    "%s failed without saying why",
				    self->title);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
wf_job_completed_cb(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	WfJob *self = WF_JOB(source_object);
	g_autoptr(GError) error = NULL;

	g_task_propagate_boolean(G_TASK(result), &error);
	self->end_us = g_get_monotonic_time();
	g_signal_handler_disconnect(self->progress, self->progress_handler);
	self->progress_handler = 0;

	/* whatever the worker reported last is published before "completed" */
	wf_job_publish(self);
	g_mutex_lock(&self->mutex);
	g_clear_object(&self->task);
	if (self->update_source != NULL) {
		/* nothing is left to publish; drop it and the task ref it holds */
		g_source_destroy(self->update_source);
		g_clear_pointer(&self->update_source, g_source_unref);
	}
	g_mutex_unlock(&self->mutex);

	if (error == NULL)
		wf_job_set_state(self, WF_JOB_STATE_SUCCEEDED);
	else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		wf_job_set_state(self, WF_JOB_STATE_CANCELLED);
	else
		wf_job_set_state(self, WF_JOB_STATE_FAILED);
	g_clear_error(&self->error);
	if (error != NULL)
		self->error = g_error_copy(error);
	g_signal_emit(self, signals[SIGNAL_COMPLETED], 0, error);
	/* the ref taken in wf_job_start() */
	g_object_unref(self);
}

/**
 * wf_job_start:
 * @self: a #WfJob in state %WF_JOB_STATE_QUEUED
 *
 * Runs the job's function in a worker thread. "completed" is emitted on the
 * thread-default main context of the caller; the job keeps itself alive
 * until then.
 */
void
wf_job_start(WfJob *self)
{
	GTask *task;

	g_return_if_fail(WF_IS_JOB(self));
	g_return_if_fail(self->state == WF_JOB_STATE_QUEUED);

	g_object_ref(self);
	task = g_task_new(self, self->cancellable, wf_job_completed_cb, NULL);
	g_task_set_source_tag(task, wf_job_start);
	g_task_set_name(task, self->title);
	/* cancellation is cooperative: the worker leaves the watch in a known
	 * state first, so the task must not return early on cancel */
	g_task_set_return_on_cancel(task, FALSE);
	g_mutex_lock(&self->mutex);
	self->task = task;
	g_mutex_unlock(&self->mutex);
	self->progress_handler = g_signal_connect(
		self->progress, "changed", G_CALLBACK(wf_job_progress_changed_cb), self);
	self->start_us = g_get_monotonic_time();
	wf_job_set_state(self, WF_JOB_STATE_RUNNING);
	g_task_run_in_thread(task, wf_job_thread_func);
	/* self->task holds the reference until completion */
}

/**
 * wf_job_cancel:
 * @self: a #WfJob
 *
 * Asks the worker to stop. The job ends with %WF_JOB_STATE_CANCELLED unless
 * it finished first. A queued job is cancelled at once.
 */
void
wf_job_cancel(WfJob *self)
{
	g_return_if_fail(WF_IS_JOB(self));

	if (self->state == WF_JOB_STATE_QUEUED) {
		g_autoptr(GError) error = g_error_new_literal(
			G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled before start");

		g_cancellable_cancel(self->cancellable);
		wf_job_set_state(self, WF_JOB_STATE_CANCELLED);
		self->error = g_error_copy(error);
		g_signal_emit(self, signals[SIGNAL_COMPLETED], 0, error);
		return;
	}
	if (self->state != WF_JOB_STATE_RUNNING)
		return;
	wf_job_set_state(self, WF_JOB_STATE_CANCELLING);
	g_cancellable_cancel(self->cancellable);
}

static void
wf_job_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	WfJob *self = WF_JOB(object);

	switch (prop_id) {
	case PROP_TITLE:
		g_value_set_string(value, self->title);
		break;
	case PROP_STATE:
		g_value_set_enum(value, self->state);
		break;
	case PROP_FRACTION:
		g_value_set_double(value, self->shown.fraction);
		break;
	case PROP_MESSAGE:
		g_value_set_string(value, self->shown.message);
		break;
	case PROP_STEP:
		g_value_set_string(value, self->shown.step);
		break;
	case PROP_BYTES_DONE:
		g_value_set_uint64(value, self->shown.bytes_done);
		break;
	case PROP_BYTES_TOTAL:
		g_value_set_uint64(value, self->shown.bytes_total);
		break;
	case PROP_RATE:
		g_value_set_double(value, self->shown.rate);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
wf_job_finalize(GObject *object)
{
	WfJob *self = WF_JOB(object);

	if (self->destroy != NULL)
		self->destroy(self->data);
	g_free(self->title);
	g_object_unref(self->progress);
	g_object_unref(self->cancellable);
	wf_job_snapshot_clear(&self->pending);
	wf_job_snapshot_clear(&self->shown);
	g_clear_error(&self->error);
	g_clear_pointer(&self->update_source, g_source_unref);
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(wf_job_parent_class)->finalize(object);
}

static void
wf_job_class_init(WfJobClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

	object_class->get_property = wf_job_get_property;
	object_class->finalize = wf_job_finalize;

	properties[PROP_TITLE] = g_param_spec_string("title", NULL, NULL, NULL, ro);
	properties[PROP_STATE] =
		g_param_spec_enum("state", NULL, NULL, WF_TYPE_JOB_STATE, WF_JOB_STATE_QUEUED, ro);
	properties[PROP_FRACTION] = g_param_spec_double("fraction", NULL, NULL, 0, 1, 0, ro);
	properties[PROP_MESSAGE] = g_param_spec_string("message", NULL, NULL, NULL, ro);
	properties[PROP_STEP] = g_param_spec_string("step", NULL, NULL, NULL, ro);
	properties[PROP_BYTES_DONE] =
		g_param_spec_uint64("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, ro);
	properties[PROP_BYTES_TOTAL] =
		g_param_spec_uint64("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
	properties[PROP_RATE] = g_param_spec_double("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	/**
	 * WfJob::completed:
	 * @error: (nullable): why the job failed or was cancelled
	 *
	 * Emitted once on the creator's main context when the job is over.
	 */
	signals[SIGNAL_COMPLETED] = g_signal_new("completed",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 1,
						 G_TYPE_ERROR);
}

static void
wf_job_init(WfJob *self)
{
	g_mutex_init(&self->mutex);
	self->progress = wf_progress_new();
	self->cancellable = g_cancellable_new();
}

/**
 * wf_job_new:
 * @title: what the job does, shown to the user ("Backing up the watch")
 * @func: runs in the worker thread
 * @data: (nullable): for @func, see wf_job_get_data()
 * @destroy: (nullable): frees @data when the job is finalized
 */
WfJob *
wf_job_new(const gchar *title, WfJobFunc func, gpointer data, GDestroyNotify destroy)
{
	WfJob *self;

	g_return_val_if_fail(title != NULL, NULL);
	g_return_val_if_fail(func != NULL, NULL);
	self = g_object_new(WF_TYPE_JOB, NULL);
	self->title = g_strdup(title);
	self->func = func;
	self->data = data;
	self->destroy = destroy;
	return self;
}

void
wf_job_set_flags(WfJob *self, WfJobFlags flags)
{
	g_return_if_fail(WF_IS_JOB(self));
	self->flags = flags;
}

WfJobFlags
wf_job_get_flags(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), WF_JOB_FLAG_NONE);
	return self->flags;
}

const gchar *
wf_job_get_title(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->title;
}

/**
 * wf_job_get_data:
 *
 * Returns: (transfer none): the data given to wf_job_new(); safe from the worker
 */
gpointer
wf_job_get_data(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->data;
}

/**
 * wf_job_get_progress:
 *
 * Returns: (transfer none): the progress the worker updates
 */
WfProgress *
wf_job_get_progress(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->progress;
}

GCancellable *
wf_job_get_cancellable(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->cancellable;
}

WfJobState
wf_job_get_state(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), WF_JOB_STATE_FAILED);
	return self->state;
}

gboolean
wf_job_is_finished(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), TRUE);
	return self->state == WF_JOB_STATE_SUCCEEDED || self->state == WF_JOB_STATE_FAILED ||
	       self->state == WF_JOB_STATE_CANCELLED;
}

gdouble
wf_job_get_fraction(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), 0);
	return self->shown.fraction;
}

const gchar *
wf_job_get_message(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->shown.message;
}

/**
 * wf_job_get_step:
 *
 * Returns: (nullable): the id of the WfProgress step the worker is in
 */
const gchar *
wf_job_get_step(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->shown.step;
}

guint64
wf_job_get_bytes_done(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), 0);
	return self->shown.bytes_done;
}

guint64
wf_job_get_bytes_total(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), 0);
	return self->shown.bytes_total;
}

/**
 * wf_job_get_rate:
 *
 * Returns: bytes per second as last reported, 0 when unknown
 */
gdouble
wf_job_get_rate(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), 0);
	return self->shown.rate;
}

/**
 * wf_job_get_error:
 *
 * Returns: (nullable): why a finished job failed or was cancelled
 */
const GError *
wf_job_get_error(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), NULL);
	return self->error;
}

/**
 * wf_job_get_elapsed:
 *
 * Returns: seconds since the job started (until it ended), 0 if never started
 */
gdouble
wf_job_get_elapsed(WfJob *self)
{
	g_return_val_if_fail(WF_IS_JOB(self), 0);
	if (self->start_us == 0)
		return 0;
	return ((self->end_us != 0 ? self->end_us : g_get_monotonic_time()) - self->start_us) / 1e6;
}
