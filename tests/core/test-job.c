/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-job.h"

#define N_UPDATES 10000

typedef struct {
	guint notify_fraction;
	guint notify_bytes;
	guint notify_state;
	guint completed;
	GThread *completed_thread;
	GThread *notify_thread;
	gboolean notify_off_main;
	WfJobState last_state;
	GError *error;
} Counters;

static void
counters_clear(Counters *c)
{
	g_clear_error(&c->error);
}

static void
notify_cb(GObject *object, GParamSpec *pspec, gpointer user_data)
{
	Counters *c = user_data;

	if (g_thread_self() != c->notify_thread)
		c->notify_off_main = TRUE;
	if (g_strcmp0(pspec->name, "fraction") == 0)
		c->notify_fraction++;
	else if (g_strcmp0(pspec->name, "bytes-done") == 0)
		c->notify_bytes++;
	else if (g_strcmp0(pspec->name, "state") == 0) {
		c->notify_state++;
		c->last_state = wf_job_get_state(WF_JOB(object));
	}
}

static void
completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	Counters *c = user_data;

	c->completed++;
	c->completed_thread = g_thread_self();
	if (error != NULL)
		c->error = g_error_copy(error);
}

static void
connect_counters(WfJob *job, Counters *c)
{
	c->notify_thread = g_thread_self();
	g_signal_connect(job, "notify", G_CALLBACK(notify_cb), c);
	g_signal_connect(job, "completed", G_CALLBACK(completed_cb), c);
}

static void
wait_for_completion(Counters *c)
{
	while (c->completed == 0)
		g_main_context_iteration(NULL, TRUE);
}

/* reports every byte of a pretend 10 000-block transfer */
static gboolean
many_updates_func(WfJob *job, WfProgress *progress, GCancellable *cancellable, GError **error)
{
	wf_progress_add_step(progress, "read", 90, "Reading");
	wf_progress_add_step(progress, "check", 10, "Checking");
	for (guint i = 1; i <= N_UPDATES; i++)
		wf_progress_set_bytes(progress, (guint64)i * 512, (guint64)N_UPDATES * 512);
	wf_progress_step_done(progress);
	wf_progress_set_message(progress, "Almost done");
	wf_progress_finish(progress);
	return TRUE;
}

static void
test_job_coalesces(void)
{
	g_autoptr(WfJob) job = wf_job_new("many", many_updates_func, NULL, NULL);
	Counters c = {0};

	connect_counters(job, &c);
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_QUEUED);
	wf_job_start(job);
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_RUNNING);
	wait_for_completion(&c);

	g_test_message("%u fraction notifications for %u updates", c.notify_fraction, N_UPDATES);
	g_assert_cmpuint(c.completed, ==, 1);
	g_assert_true(c.completed_thread == g_thread_self());
	g_assert_false(c.notify_off_main);
	g_assert_no_error(c.error);
	/* at least the final value was published, and far fewer than one per update */
	g_assert_cmpuint(c.notify_fraction, >=, 1);
	g_assert_cmpuint(c.notify_fraction, <, N_UPDATES / 10);
	g_assert_cmpuint(c.notify_bytes, <, N_UPDATES / 10);
	/* publications are rate-limited to one per 20 ms, plus the final one */
	g_assert_cmpuint(c.notify_fraction, <=, wf_job_get_elapsed(job) * 1000 / 20 + 2);
	/* final values are those of the worker's last update */
	g_assert_cmpfloat(wf_job_get_fraction(job), ==, 1.0);
	g_assert_cmpstr(wf_job_get_message(job), ==, "Almost done");
	g_assert_cmpuint(wf_job_get_bytes_done(job), ==, 0); /* step_done resets bytes */
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_SUCCEEDED);
	g_assert_cmpint(c.last_state, ==, WF_JOB_STATE_SUCCEEDED);
	g_assert_true(wf_job_is_finished(job));
	g_assert_null(wf_job_get_error(job));
	g_assert_cmpfloat(wf_job_get_elapsed(job), >, 0);
	counters_clear(&c);
}

/* stops half-way through so the last published bytes are checkable */
static gboolean
bytes_func(WfJob *job, WfProgress *progress, GCancellable *cancellable, GError **error)
{
	guint64 *total = wf_job_get_data(job);

	wf_progress_add_step(progress, "read", 1, "Reading the flash");
	for (guint64 i = 0; i <= *total; i += 4096)
		wf_progress_set_bytes(progress, i, *total);
	return TRUE;
}

static void
test_job_bytes_and_data(void)
{
	guint64 *total = g_new(guint64, 1);
	g_autoptr(WfJob) job = NULL;
	Counters c = {0};

	*total = 8 * 1024 * 1024;
	job = wf_job_new("bytes", bytes_func, total, g_free);
	connect_counters(job, &c);
	wf_job_start(job);
	wait_for_completion(&c);
	g_assert_no_error(c.error);
	g_assert_cmpuint(wf_job_get_bytes_done(job), ==, *total);
	g_assert_cmpuint(wf_job_get_bytes_total(job), ==, *total);
	g_assert_cmpfloat(wf_job_get_fraction(job), ==, 1.0);
	g_assert_cmpstr(wf_job_get_step(job), ==, "read");
	g_assert_cmpstr(wf_job_get_message(job), ==, "Reading the flash");
	g_assert_cmpstr(wf_job_get_title(job), ==, "bytes");
	counters_clear(&c);
}

/* a worker that polls its cancellable between chunks, like a backup */
static gboolean
cancellable_func(WfJob *job, WfProgress *progress, GCancellable *cancellable, GError **error)
{
	gint *chunks = wf_job_get_data(job);

	for (;;) {
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		g_atomic_int_inc(chunks);
		wf_progress_set_bytes(progress, g_atomic_int_get(chunks), 0);
		g_usleep(1000);
	}
}

static gboolean
cancel_timeout_cb(gpointer user_data)
{
	wf_job_cancel(WF_JOB(user_data));
	g_assert_cmpint(wf_job_get_state(WF_JOB(user_data)), ==, WF_JOB_STATE_CANCELLING);
	return G_SOURCE_REMOVE;
}

static void
test_job_cancel(void)
{
	gint chunks = 0;
	g_autoptr(WfJob) job = wf_job_new("endless", cancellable_func, &chunks, NULL);
	Counters c = {0};

	connect_counters(job, &c);
	wf_job_start(job);
	g_timeout_add(30, cancel_timeout_cb, job);
	wait_for_completion(&c);
	g_assert_error(c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_CANCELLED);
	g_assert_error((GError *)wf_job_get_error(job), G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(g_atomic_int_get(&chunks), >, 0);
	/* state went RUNNING -> CANCELLING -> CANCELLED */
	g_assert_cmpuint(c.notify_state, ==, 3);
	counters_clear(&c);
}

static void
test_job_cancel_queued(void)
{
	gint chunks = 0;
	g_autoptr(WfJob) job = wf_job_new("never", cancellable_func, &chunks, NULL);
	Counters c = {0};

	connect_counters(job, &c);
	wf_job_cancel(job);
	g_assert_cmpuint(c.completed, ==, 1);
	g_assert_error(c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_CANCELLED);
	g_assert_cmpint(chunks, ==, 0);
	counters_clear(&c);
}

static gboolean
failing_func(WfJob *job, WfProgress *progress, GCancellable *cancellable, GError **error)
{
	wf_progress_set_message(progress, "Talking to the watch");
	g_set_error_literal(error, WF_ERROR, WF_ERROR_DEVICE_LOST, "the port vanished");
	return FALSE;
}

static gboolean
silent_failing_func(WfJob *job, WfProgress *progress, GCancellable *cancellable, GError **error)
{
	return FALSE;
}

static void
test_job_failure(void)
{
	g_autoptr(WfJob) job = wf_job_new("failing", failing_func, NULL, NULL);
	g_autoptr(WfJob) job2 = wf_job_new("silent", silent_failing_func, NULL, NULL);
	Counters c = {0};
	Counters c2 = {0};

	wf_job_set_flags(job, WF_JOB_FLAG_INHIBITS);
	g_assert_cmpint(wf_job_get_flags(job), ==, WF_JOB_FLAG_INHIBITS);
	connect_counters(job, &c);
	wf_job_start(job);
	wait_for_completion(&c);
	g_assert_error(c.error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_FAILED);
	g_assert_cmpstr(wf_job_get_message(job), ==, "Talking to the watch");

	/* a worker that forgets the GError still ends in a failure with text */
	connect_counters(job2, &c2);
	wf_job_start(job2);
	wait_for_completion(&c2);
	g_assert_error(c2.error, WF_ERROR, WF_ERROR_INTERNAL);
	g_assert_nonnull(strstr(c2.error->message, "silent"));
	counters_clear(&c);
	counters_clear(&c2);
}

static void
test_job_state_names(void)
{
	g_assert_cmpstr(wf_job_state_to_string(WF_JOB_STATE_RUNNING), ==, "running");
	g_assert_cmpstr(wf_job_state_to_string(WF_JOB_STATE_CANCELLED), ==, "cancelled");
	g_assert_null(wf_job_state_to_string(99));
}

/* the job keeps itself alive while running: dropping the caller's ref early
 * must neither crash nor lose the completion */
static void
test_job_unref_while_running(void)
{
	WfJob *job = wf_job_new("orphan", many_updates_func, NULL, NULL);
	Counters c = {0};
	GWeakRef weak;

	connect_counters(job, &c);
	g_weak_ref_init(&weak, job);
	wf_job_start(job);
	g_object_unref(job);
	wait_for_completion(&c);
	g_assert_no_error(c.error);
	/* the worker thread drops its task ref just after returning: give
	 * it a moment, then the job must be gone */
	for (guint i = 0; i < 2000; i++) {
		g_autoptr(GObject) obj = g_weak_ref_get(&weak);
		if (obj == NULL)
			break;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	{
		g_autoptr(GObject) obj = g_weak_ref_get(&weak);
		g_assert_null(obj);
	}
	g_weak_ref_clear(&weak);
	counters_clear(&c);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/job/coalesces", test_job_coalesces);
	g_test_add_func("/job/bytes-and-data", test_job_bytes_and_data);
	g_test_add_func("/job/cancel", test_job_cancel);
	g_test_add_func("/job/cancel-queued", test_job_cancel_queued);
	g_test_add_func("/job/failure", test_job_failure);
	g_test_add_func("/job/state-names", test_job_state_names);
	g_test_add_func("/job/unref-while-running", test_job_unref_while_running);
	return g_test_run();
}
