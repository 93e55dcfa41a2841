/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wf-progress.h"

G_BEGIN_DECLS

/*
 * One long operation (catch, identify, back up, later flash) run in a worker
 * thread. The worker only sees a WfProgress, a GCancellable and a GError;
 * everything a user interface looks at (the properties and the "completed"
 * signal) changes on the main context of the thread that created the job,
 * batched into one idle per burst of progress updates.
 */

#define WF_TYPE_JOB (wf_job_get_type())
G_DECLARE_FINAL_TYPE(WfJob, wf_job, WF, JOB, GObject)

#define WF_TYPE_JOB_STATE (wf_job_state_get_type())

typedef enum {
	WF_JOB_STATE_QUEUED,	 /* created, not started */
	WF_JOB_STATE_RUNNING,	 /* the worker is busy */
	WF_JOB_STATE_CANCELLING, /* cancel asked for, the worker has not stopped yet */
	WF_JOB_STATE_SUCCEEDED,
	WF_JOB_STATE_FAILED,
	WF_JOB_STATE_CANCELLED,
} WfJobState;

typedef enum {
	WF_JOB_FLAG_NONE = 0,
	/* stopping the job half-way harms the watch or the user's data: the
	 * application keeps the computer awake and asks before closing */
	WF_JOB_FLAG_INHIBITS = 1 << 0,
} WfJobFlags;

/*
 * Runs in the worker thread. Report progress through @progress only; return
 * FALSE with @error set on failure, or with G_IO_ERROR_CANCELLED when
 * @cancellable was cancelled.
 */
typedef gboolean (*WfJobFunc)(WfJob *job,
			      WfProgress *progress,
			      GCancellable *cancellable,
			      GError **error);

GType
wf_job_state_get_type(void);
const gchar *
wf_job_state_to_string(WfJobState state);

WfJob *
wf_job_new(const gchar *title, WfJobFunc func, gpointer data, GDestroyNotify destroy);
void
wf_job_set_flags(WfJob *self, WfJobFlags flags);
WfJobFlags
wf_job_get_flags(WfJob *self);
void
wf_job_start(WfJob *self);
void
wf_job_cancel(WfJob *self);

const gchar *
wf_job_get_title(WfJob *self);
gpointer
wf_job_get_data(WfJob *self);
WfProgress *
wf_job_get_progress(WfJob *self);
GCancellable *
wf_job_get_cancellable(WfJob *self);

/* main context only */
WfJobState
wf_job_get_state(WfJob *self);
gboolean
wf_job_is_finished(WfJob *self);
gdouble
wf_job_get_fraction(WfJob *self);
const gchar *
wf_job_get_message(WfJob *self);
const gchar *
wf_job_get_step(WfJob *self);
guint64
wf_job_get_bytes_done(WfJob *self);
guint64
wf_job_get_bytes_total(WfJob *self);
gdouble
wf_job_get_rate(WfJob *self);
const GError *
wf_job_get_error(WfJob *self);
gdouble
wf_job_get_elapsed(WfJob *self);

G_END_DECLS
