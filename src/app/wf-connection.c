/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-connection.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "wf-catcher.h"
#include "wf-error.h"
#include "wf-sim-watch.h"
#include "wf-wire-log.h"

/* a virtual watch is plugged in by us: if it is not caught by then,
 * something is wrong */
#define WF_CONNECTION_VIRTUAL_TIMEOUT_MS 10000
/* after a failed catch, listen again after this pause so that a port that
 * fails at once cannot make a busy loop */
#define WF_CONNECTION_RELISTEN_MS 500

/* what a catch job works with; the worker fills the results, the main
 * thread reads them after "completed" (the port path also while running) */
typedef struct {
	gboolean is_virtual;
	WfSimConfig config;
	WfWireLog *wire_log;
	GMutex mutex;
	gchar *port_path;
	WfSimWatch *sim;
	WfBrom *brom;
	WfDeviceInfo *info;
} WfCatchData;

typedef struct {
	WfBrom *brom;
	WfDeviceInfo *info;
	gchar *dir;	  /* where the backup goes (resumed or new) */
	gchar *fresh_dir; /* a new folder, if resuming turns out impossible */
	gboolean resume;
	WfBackup *backup;
} WfBackupData;

/* a restore or flash: prepared, then (after the user agreed) run */
typedef struct {
	WfFlashJob *flash_job;
	WfSimWatch *sim; /* (nullable) the virtual watch, to catch it again */
	gboolean run;
} WfWriteData;

struct _WfConnection {
	GObject parent_instance;
	WfActivityLog *log;
	WfWireLog *wire_log;
	WfConnectionState state;
	gchar *step;
	gchar *port_path;
	GError *error;
	gboolean is_virtual;
	WfSimWatch *sim;
	WfBrom *brom;
	WfDeviceInfo *info;
	WfJob *catch_job;
	WfJob *job;	  /* backup, or preparing / running a write */
	gboolean writing; /* self->job runs a write */
	guint relisten_id;
};

enum { PROP_0, PROP_STATE, PROP_STEP, PROP_PORT_PATH, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS] = {NULL};

G_DEFINE_FINAL_TYPE(WfConnection, wf_connection, G_TYPE_OBJECT)

GType
wf_connection_state_get_type(void)
{
	static gsize type_id = 0;
	static const GEnumValue values[] = {
		{WF_CONNECTION_STATE_IDLE, "WF_CONNECTION_STATE_IDLE", "idle"},
		{WF_CONNECTION_STATE_WAITING, "WF_CONNECTION_STATE_WAITING", "waiting"},
		{WF_CONNECTION_STATE_CONNECTING, "WF_CONNECTION_STATE_CONNECTING", "connecting"},
		{WF_CONNECTION_STATE_CONNECTED, "WF_CONNECTION_STATE_CONNECTED", "connected"},
		{WF_CONNECTION_STATE_ERROR, "WF_CONNECTION_STATE_ERROR", "error"},
		{0, NULL, NULL},
	};

	if (g_once_init_enter(&type_id)) {
		GType id =
			g_enum_register_static(g_intern_static_string("WfConnectionState"), values);
		g_once_init_leave(&type_id, id);
	}
	return type_id;
}

static void
wf_catch_data_free(gpointer user_data)
{
	WfCatchData *data = user_data;

	wf_sim_config_clear(&data->config);
	g_clear_object(&data->wire_log);
	g_free(data->port_path);
	g_clear_object(&data->sim);
	g_clear_object(&data->brom);
	g_clear_object(&data->info);
	g_mutex_clear(&data->mutex);
	g_free(data);
}

static void
wf_backup_data_free(gpointer user_data)
{
	WfBackupData *data = user_data;

	g_clear_object(&data->brom);
	g_clear_object(&data->info);
	g_free(data->dir);
	g_free(data->fresh_dir);
	g_clear_object(&data->backup);
	g_free(data);
}

static void
wf_write_data_free(gpointer user_data)
{
	WfWriteData *data = user_data;

	g_clear_object(&data->flash_job);
	g_clear_object(&data->sim);
	g_free(data);
}

/* ---- state ---------------------------------------------------------------------------------- */

static void
wf_connection_set_state(WfConnection *self, WfConnectionState state)
{
	if (self->state == state)
		return;
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
}

static void
wf_connection_set_step(WfConnection *self, const gchar *step)
{
	if (g_strcmp0(self->step, step) == 0)
		return;
	g_free(self->step);
	self->step = g_strdup(step);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STEP]);
}

static void
wf_connection_set_port_path(WfConnection *self, const gchar *path)
{
	if (g_strcmp0(self->port_path, path) == 0)
		return;
	g_free(self->port_path);
	self->port_path = g_strdup(path);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_PORT_PATH]);
}

static void
wf_connection_drop_watch(WfConnection *self)
{
	g_clear_object(&self->brom);
	g_clear_object(&self->info);
	if (self->sim != NULL) {
		wf_sim_watch_unplug(self->sim);
		g_clear_object(&self->sim);
	}
}

/* ---- catching ------------------------------------------------------------------------------- */

static WfTransport *
wf_connection_sim_opener(gpointer user_data, GError **error)
{
	return wf_sim_watch_open_port(WF_SIM_WATCH(user_data), error);
}

/* worker thread: the catcher tells where it is; the job's steps follow */
static void
wf_connection_catcher_step_cb(WfCatcher *catcher, guint step, const gchar *path, gpointer user_data)
{
	WfJob *job = WF_JOB(user_data);
	WfCatchData *data = wf_job_get_data(job);
	WfProgress *progress = wf_job_get_progress(job);

	if (step != WF_CATCHER_STEP_PORT_FOUND && step != WF_CATCHER_STEP_HANDSHAKING)
		return;
	g_mutex_lock(&data->mutex);
	g_free(data->port_path);
	data->port_path = g_strdup(path);
	g_mutex_unlock(&data->mutex);
	/* the port step ends when a port shows up */
	if (g_strcmp0(wf_progress_get_step_id(progress), WF_CONNECTION_STEP_PORT) == 0)
		wf_progress_step_done(progress);
}

static gboolean
wf_connection_catch_func(WfJob *job,
			 WfProgress *progress,
			 GCancellable *cancellable,
			 GError **error)
{
	WfCatchData *data = wf_job_get_data(job);
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(WfBrom) brom = NULL;
	g_autoptr(WfDeviceInfo) info = NULL;
	/* a real watch may come any time: wait until cancelled (49 days) */
	guint timeout_ms = G_MAXUINT;

	wf_progress_add_step(progress, WF_CONNECTION_STEP_PORT, 1, NULL);
	wf_progress_add_step(progress, WF_CONNECTION_STEP_HANDSHAKE, 1, NULL);
	wf_progress_add_step(progress, WF_CONNECTION_STEP_IDENTIFY, 1, NULL);

	if (data->is_virtual) {
		/* creating the flash file of a new virtual watch takes a moment:
		 * it happens here, not on the main thread */
		if (data->config.flash_path != NULL) {
			g_autofree gchar *dir = g_path_get_dirname(data->config.flash_path);
			if (g_mkdir_with_parents(dir, 0700) != 0) {
				wf_error_convert_errno(error, errno, dir);
				return FALSE;
			}
		}
		data->sim = wf_sim_watch_new(&data->config, error);
		if (data->sim == NULL)
			return FALSE;
		wf_catcher_set_opener(
			catcher, wf_connection_sim_opener, g_object_ref(data->sim), g_object_unref);
		wf_sim_watch_plug_in(data->sim);
		timeout_ms = WF_CONNECTION_VIRTUAL_TIMEOUT_MS;
	}
	g_signal_connect(catcher, "step-changed", G_CALLBACK(wf_connection_catcher_step_cb), job);
	if (data->wire_log != NULL)
		wf_catcher_set_wire_log(catcher, data->wire_log);
	brom = wf_catcher_catch(catcher, timeout_ms, cancellable, error);
	if (brom == NULL)
		return FALSE;
	if (g_strcmp0(wf_progress_get_step_id(progress), WF_CONNECTION_STEP_PORT) == 0)
		wf_progress_step_done(progress);
	wf_progress_step_done(progress);
	if (!wf_device_info_identify(brom, 0, &info, cancellable, error))
		return FALSE;
	wf_progress_step_done(progress);
	data->brom = g_steal_pointer(&brom);
	data->info = g_steal_pointer(&info);
	return TRUE;
}

static void
wf_connection_start_catch(WfConnection *self, const WfSimConfig *config);

static gboolean
wf_connection_relisten_cb(gpointer user_data)
{
	WfConnection *self = WF_CONNECTION(user_data);

	self->relisten_id = 0;
	/* keep the error on screen; the page changes once a port shows up */
	wf_connection_start_catch(self, NULL);
	return G_SOURCE_REMOVE;
}

static void
wf_connection_log_identity(WfConnection *self)
{
	const gchar *me_id = wf_device_info_get_me_id_string(self->info);
	g_autofree gchar *size = g_format_size_full(wf_device_info_get_flash_size(self->info),
						    G_FORMAT_SIZE_IEC_UNITS);

	wf_activity_log_add(self->log,
			    WF_ACTIVITY_KIND_SUCCESS,
			    /* TRANSLATORS: chip, flash size and ME ID of the watch */
			    _("Connected: %s with %s of flash, ME ID %s."),
			    wf_device_info_get_chip(self->info),
			    size,
			    me_id);
}

static void
wf_connection_catch_completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	WfConnection *self = WF_CONNECTION(user_data);
	WfCatchData *data = wf_job_get_data(job);

	/* a job that was replaced (listen → virtual) says nothing any more */
	if (job != self->catch_job)
		return;
	g_clear_object(&self->catch_job);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BUSY]);

	if (error == NULL) {
		wf_connection_drop_watch(self);
		self->brom = g_steal_pointer(&data->brom);
		self->info = g_steal_pointer(&data->info);
		self->sim = g_steal_pointer(&data->sim);
		g_clear_error(&self->error);
		wf_connection_log_identity(self);
		wf_connection_set_state(self, WF_CONNECTION_STATE_CONNECTED);
		return;
	}
	if (data->sim != NULL)
		wf_sim_watch_unplug(data->sim);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		wf_connection_set_state(self, WF_CONNECTION_STATE_IDLE);
		return;
	}
	g_clear_error(&self->error);
	self->error = g_error_copy(error);
	wf_activity_log_add(self->log,
			    WF_ACTIVITY_KIND_PROBLEM,
			    _("Could not connect to the watch: %s"),
			    error->message);
	wf_connection_set_state(self, WF_CONNECTION_STATE_ERROR);
	/* a real watch can be plugged in again at any time */
	if (!self->is_virtual && self->relisten_id == 0)
		self->relisten_id =
			g_timeout_add(WF_CONNECTION_RELISTEN_MS, wf_connection_relisten_cb, self);
}

static void
wf_connection_catch_notify_step_cb(WfJob *job, GParamSpec *pspec, gpointer user_data)
{
	WfConnection *self = WF_CONNECTION(user_data);
	WfCatchData *data = wf_job_get_data(job);
	const gchar *step = wf_job_get_step(job);
	g_autofree gchar *path = NULL;

	if (job != self->catch_job || step == NULL)
		return;
	g_mutex_lock(&data->mutex);
	path = g_strdup(data->port_path);
	g_mutex_unlock(&data->mutex);

	wf_connection_set_port_path(self, path);
	wf_connection_set_step(self, step);
	if (g_strcmp0(step, WF_CONNECTION_STEP_PORT) == 0)
		return;
	if (self->state != WF_CONNECTION_STATE_CONNECTING) {
		if (path != NULL)
			wf_activity_log_add(self->log,
					    WF_ACTIVITY_KIND_INFO,
					    _("Found the watch’s port %s."),
					    path);
		g_clear_error(&self->error);
		wf_connection_set_state(self, WF_CONNECTION_STATE_CONNECTING);
	}
}

static void
wf_connection_start_catch(WfConnection *self, const WfSimConfig *config)
{
	WfCatchData *data = g_new0(WfCatchData, 1);

	g_mutex_init(&data->mutex);
	data->is_virtual = config != NULL;
	wf_sim_config_init(&data->config);
	if (config != NULL)
		wf_sim_config_copy(&data->config, config);
	if (self->wire_log != NULL)
		data->wire_log = g_object_ref(self->wire_log);

	if (self->catch_job != NULL)
		wf_job_cancel(self->catch_job);
	g_clear_object(&self->catch_job);
	g_clear_handle_id(&self->relisten_id, g_source_remove);

	self->is_virtual = config != NULL;
	self->catch_job = wf_job_new(
		_("Connecting to the watch"), wf_connection_catch_func, data, wf_catch_data_free);
	g_signal_connect_object(self->catch_job,
				"notify::step",
				G_CALLBACK(wf_connection_catch_notify_step_cb),
				self,
				0);
	g_signal_connect_object(self->catch_job,
				"completed",
				G_CALLBACK(wf_connection_catch_completed_cb),
				self,
				0);
	wf_connection_set_step(self, WF_CONNECTION_STEP_PORT);
	wf_connection_set_port_path(self, NULL);
	if (self->state != WF_CONNECTION_STATE_ERROR)
		wf_connection_set_state(self, WF_CONNECTION_STATE_WAITING);
	wf_job_start(self->catch_job);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BUSY]);
}

/**
 * wf_connection_listen:
 *
 * Forgets the current watch and waits for a real one: a new boot-ROM port
 * is handshaken the moment it appears, then identified.
 */
void
wf_connection_listen(WfConnection *self)
{
	g_return_if_fail(WF_IS_CONNECTION(self));
	if (self->job != NULL && !wf_job_is_finished(self->job))
		return;
	wf_connection_drop_watch(self);
	g_clear_error(&self->error);
	wf_connection_set_state(self, WF_CONNECTION_STATE_IDLE);
	wf_activity_log_add(
		self->log, WF_ACTIVITY_KIND_INFO, _("Listening for a watch’s boot ROM port."));
	wf_connection_start_catch(self, NULL);
}

/**
 * wf_connection_start_virtual:
 * @config: the virtual watch; its flash file persists
 *
 * Plugs in a virtual watch inside the application and connects to it.
 */
void
wf_connection_start_virtual(WfConnection *self, const WfSimConfig *config)
{
	g_return_if_fail(WF_IS_CONNECTION(self));
	g_return_if_fail(config != NULL);
	if (self->job != NULL && !wf_job_is_finished(self->job))
		return;
	wf_connection_drop_watch(self);
	g_clear_error(&self->error);
	wf_connection_set_state(self, WF_CONNECTION_STATE_IDLE);
	wf_activity_log_add(self->log,
			    WF_ACTIVITY_KIND_INFO,
			    _("Plugging in the virtual watch (%s)."),
			    config->flash_path != NULL ? config->flash_path : _("in memory"));
	wf_connection_start_catch(self, config);
}

/**
 * wf_connection_stop:
 *
 * Stops listening and any job, and lets go of the watch.
 */
void
wf_connection_stop(WfConnection *self)
{
	g_return_if_fail(WF_IS_CONNECTION(self));
	g_clear_handle_id(&self->relisten_id, g_source_remove);
	if (self->catch_job != NULL) {
		g_signal_handlers_disconnect_by_data(self->catch_job, self);
		wf_job_cancel(self->catch_job);
		g_clear_object(&self->catch_job);
	}
	if (self->job != NULL)
		wf_job_cancel(self->job);
	/* the worker holds its own refs; the watch goes when it is done */
	wf_connection_drop_watch(self);
	wf_connection_set_state(self, WF_CONNECTION_STATE_IDLE);
}

/* ---- backup --------------------------------------------------------------------------------- */

/**
 * wf_connection_make_backup_dir_name:
 *
 * Returns: a folder name that sorts by time and says which watch:
 *   "MT6261DA-0123abcd-20261126-140203"
 */
gchar *
wf_connection_make_backup_dir_name(WfDeviceInfo *info, GDateTime *when)
{
	const gchar *me_id = wf_device_info_get_me_id_string(info);
	g_autofree gchar *stamp = g_date_time_format(when, "%Y%m%d-%H%M%S");
	g_autofree gchar *chip = g_strdup(
		wf_device_info_get_chip_known(info) ? wf_device_info_get_chip(info) : "watch");

	g_strcanon(chip, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", '_');
	return g_strdup_printf("%s-%.8s-%s", chip, me_id != NULL ? me_id : "unknown", stamp);
}

static gboolean
wf_connection_backup_func(WfJob *job,
			  WfProgress *progress,
			  GCancellable *cancellable,
			  GError **error)
{
	WfBackupData *data = wf_job_get_data(job);
	WfTransport *transport = wf_brom_get_transport(data->brom);
	g_autoptr(WfWireLog) wire_log = NULL;

	/* 8 MiB in hex is ~40 MB of log for nothing: note it and pause */
	wire_log = wf_transport_get_wire_log(transport) != NULL
			   ? g_object_ref(wf_transport_get_wire_log(transport))
			   : NULL;
	if (wire_log != NULL) {
		wf_wire_log_note(wire_log, "backup to %s: wire log paused", data->dir);
		wf_transport_set_wire_log(transport, NULL);
	}
	if (data->resume) {
		g_autoptr(GError) error_local = NULL;

		data->backup = wf_backup_create(data->brom,
						data->info,
						data->dir,
						WF_BACKUP_FLAG_RESUME,
						progress,
						cancellable,
						&error_local);
		/* a partial backup that cannot be continued (another watch's,
		 * another format) stays where it is; start a new one */
		if (data->backup == NULL &&
		    (g_error_matches(error_local, WF_ERROR, WF_ERROR_REFUSED) ||
		     g_error_matches(error_local, WF_ERROR, WF_ERROR_INVALID_FILE) ||
		     g_error_matches(error_local, WF_ERROR, WF_ERROR_NOT_FOUND))) {
			g_debug("not resuming %s: %s", data->dir, error_local->message);
			g_free(data->dir);
			data->dir = g_strdup(data->fresh_dir);
			data->resume = FALSE;
		} else if (data->backup == NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
		}
	}
	if (data->backup == NULL && !data->resume)
		data->backup = wf_backup_create(data->brom,
						data->info,
						data->dir,
						WF_BACKUP_FLAG_NONE,
						progress,
						cancellable,
						error);
	if (wire_log != NULL) {
		wf_transport_set_wire_log(transport, wire_log);
		wf_wire_log_note(wire_log,
				 "backup %s",
				 data->backup != NULL ? "complete" : "ended without a backup");
		wf_wire_log_flush(wire_log, NULL);
	}
	return data->backup != NULL;
}

static void
wf_connection_backup_completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	WfConnection *self = WF_CONNECTION(user_data);
	WfBackupData *data = wf_job_get_data(job);

	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BUSY]);
	if (error == NULL) {
		wf_activity_log_add(self->log,
				    WF_ACTIVITY_KIND_SUCCESS,
				    _("Backup complete: %s (SHA-256 %s)."),
				    wf_backup_get_dir(data->backup),
				    wf_backup_get_sha256(data->backup));
		return;
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		wf_activity_log_add(self->log,
				    WF_ACTIVITY_KIND_INFO,
				    _("Backup stopped; the part read so far is kept in %s%s."),
				    data->dir,
				    WF_BACKUP_PARTIAL_SUFFIX);
		return;
	}
	wf_activity_log_add(
		self->log, WF_ACTIVITY_KIND_PROBLEM, _("Backup failed: %s"), error->message);
	/* without the watch there is nothing to stay connected to */
	if (g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_LOST) ||
	    g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT)) {
		wf_connection_drop_watch(self);
		g_clear_error(&self->error);
		self->error = g_error_copy(error);
		wf_connection_set_state(self, WF_CONNECTION_STATE_ERROR);
		if (!self->is_virtual)
			self->relisten_id = g_timeout_add(
				WF_CONNECTION_RELISTEN_MS, wf_connection_relisten_cb, self);
	}
}

/* The newest interrupted backup of this watch in @folder, made by the app
 * (its name starts with the watch's prefix), as the final folder path. */
static gchar *
wf_connection_find_partial(WfDeviceInfo *info, const gchar *folder)
{
	g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc(0);
	g_autofree gchar *sample = wf_connection_make_backup_dir_name(info, epoch);
	/* "MT6261DA-0123abcd-" */
	g_autofree gchar *prefix = g_strndup(sample, strlen(sample) - strlen("19700101-000000"));
	g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
	g_autofree gchar *best = NULL;
	const gchar *name;

	if (dir == NULL)
		return NULL;
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (!g_str_has_prefix(name, prefix) ||
		    !g_str_has_suffix(name, WF_BACKUP_PARTIAL_SUFFIX))
			continue;
		/* the time stamp in the name sorts */
		if (best == NULL || strcmp(name, best) > 0) {
			g_free(best);
			best = g_strdup(name);
		}
	}
	if (best == NULL)
		return NULL;
	best[strlen(best) - strlen(WF_BACKUP_PARTIAL_SUFFIX)] = '\0';
	return g_build_filename(folder, best, NULL);
}

/**
 * wf_connection_backup:
 * @folder: the backup folder; created if needed
 *
 * Starts backing up the connected watch into a new folder in @folder.
 *
 * Returns: (transfer none): the running job, or %NULL
 */
WfJob *
wf_connection_backup(WfConnection *self, const gchar *folder, GError **error)
{
	WfBackupData *data;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	g_return_val_if_fail(folder != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (self->state != WF_CONNECTION_STATE_CONNECTED || self->brom == NULL) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_NOT_FOUND, "no watch is connected");
		return NULL;
	}
	if (wf_connection_is_busy(self)) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_BUSY, "another job is running");
		return NULL;
	}
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		wf_error_convert_errno(error, errno, folder);
		g_prefix_error(error, "cannot create the backup folder: ");
		return NULL;
	}
	name = wf_connection_make_backup_dir_name(self->info, now);
	data = g_new0(WfBackupData, 1);
	data->brom = g_object_ref(self->brom);
	data->info = g_object_ref(self->info);
	data->fresh_dir = g_build_filename(folder, name, NULL);
	/* what an earlier, stopped backup of this watch read is not read again */
	data->dir = wf_connection_find_partial(self->info, folder);
	data->resume = data->dir != NULL;
	if (data->dir == NULL)
		data->dir = g_strdup(data->fresh_dir);

	g_clear_object(&self->job);
	self->job = wf_job_new(
		_("Backing up the watch"), wf_connection_backup_func, data, wf_backup_data_free);
	wf_job_set_flags(self->job, WF_JOB_FLAG_INHIBITS);
	g_signal_connect_object(
		self->job, "completed", G_CALLBACK(wf_connection_backup_completed_cb), self, 0);
	if (data->resume)
		wf_activity_log_add(self->log,
				    WF_ACTIVITY_KIND_INFO,
				    _("Continuing the stopped backup in %s."),
				    data->dir);
	else
		wf_activity_log_add(self->log,
				    WF_ACTIVITY_KIND_INFO,
				    _("Backing up the watch to %s."),
				    data->dir);
	wf_job_start(self->job);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BUSY]);
	return self->job;
}

/* ---- writing (restore, flash) ------------------------------------------------------------- */

/* worker thread: the Download Agent reset the watch; catch it again in the
 * boot ROM, the same way it was caught the first time */
static WfBrom *
wf_connection_write_reconnect_cb(gpointer user_data, GCancellable *cancellable, GError **error)
{
	WfSimWatch *sim = user_data; /* (nullable) */
	g_autoptr(WfCatcher) catcher = wf_catcher_new();

	if (sim != NULL)
		wf_catcher_set_opener(
			catcher, wf_connection_sim_opener, g_object_ref(sim), g_object_unref);
	return wf_catcher_catch(catcher, WF_CONNECTION_VIRTUAL_TIMEOUT_MS, cancellable, error);
}

static gboolean
wf_connection_write_func(WfJob *job,
			 WfProgress *progress,
			 GCancellable *cancellable,
			 GError **error)
{
	WfWriteData *data = wf_job_get_data(job);

	if (data->run)
		return wf_flash_job_run(data->flash_job, progress, cancellable, error);
	return wf_flash_job_prepare(data->flash_job, progress, cancellable, error);
}

static void
wf_connection_write_completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	WfConnection *self = WF_CONNECTION(user_data);
	WfWriteData *data = wf_job_get_data(job);
	WfFlashJob *flash_job = data->flash_job;
	const gchar *what = wf_flash_job_kind_to_string(wf_flash_job_get_kind(flash_job));

	self->writing = FALSE;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BUSY]);
	if (!data->run) {
		if (error != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			wf_activity_log_add(self->log,
					    WF_ACTIVITY_KIND_PROBLEM,
					    /* TRANSLATORS: %s is restore or flash, then why not */
					    _("Refused to %s: %s"),
					    what,
					    error->message);
		else if (error == NULL)
			wf_activity_log_add(
				self->log,
				WF_ACTIVITY_KIND_INFO,
				/* TRANSLATORS: a write method (SFI, DA) and why */
				_("Planned: %s through %s, because %s."),
				what,
				wf_flash_method_to_string(wf_flash_job_get_method(flash_job)),
				wf_flash_job_get_method_reason(flash_job));
		return;
	}
	if (error == NULL) {
		g_autofree gchar *size = g_format_size_full(wf_flash_job_get_write_size(flash_job),
							    G_FORMAT_SIZE_IEC_UNITS);
		wf_activity_log_add(self->log,
				    WF_ACTIVITY_KIND_SUCCESS,
				    /* TRANSLATORS: restore or flash, size, method and why */
				    _("%s done: %s written and verified through %s (%s)."),
				    what,
				    size,
				    wf_flash_method_to_string(wf_flash_job_get_method(flash_job)),
				    wf_flash_job_get_method_reason(flash_job));
	} else {
		g_autofree gchar *outcome = wf_flash_job_get_outcome_text(flash_job);
		wf_activity_log_add(self->log,
				    WF_ACTIVITY_KIND_PROBLEM,
				    _("The %s stopped: %s %s"),
				    what,
				    error->message,
				    outcome != NULL ? outcome : "");
	}
	if (g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_LOST) ||
	    g_error_matches(error, WF_ERROR, WF_ERROR_TIMED_OUT)) {
		wf_connection_drop_watch(self);
		g_clear_error(&self->error);
		self->error = g_error_copy(error);
		wf_connection_set_state(self, WF_CONNECTION_STATE_ERROR);
	}
}

static WfJob *
wf_connection_start_write(WfConnection *self, WfFlashJob *flash_job, gboolean run, GError **error)
{
	WfWriteData *data;

	if (self->state != WF_CONNECTION_STATE_CONNECTED || self->brom == NULL) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_NOT_FOUND, "no watch is connected");
		return NULL;
	}
	if (wf_connection_is_busy(self)) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_BUSY, "another job is running");
		return NULL;
	}
	data = g_new0(WfWriteData, 1);
	data->flash_job = g_object_ref(flash_job);
	data->sim = self->sim != NULL ? g_object_ref(self->sim) : NULL;
	data->run = run;
	if (!run) {
		wf_flash_job_set_device(flash_job, self->brom, self->info);
		wf_flash_job_set_reconnect_func(flash_job,
						wf_connection_write_reconnect_cb,
						self->sim != NULL ? g_object_ref(self->sim) : NULL,
						self->sim != NULL ? g_object_unref : NULL);
	}
	g_clear_object(&self->job);
	self->job = wf_job_new(run ? _("Writing to the watch") : _("Comparing with the watch"),
			       wf_connection_write_func,
			       data,
			       wf_write_data_free);
	/* reading to compare may stop any time; writing may not */
	if (run)
		wf_job_set_flags(self->job, WF_JOB_FLAG_INHIBITS);
	g_signal_connect_object(
		self->job, "completed", G_CALLBACK(wf_connection_write_completed_cb), self, 0);
	self->writing = run;
	wf_job_start(self->job);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BUSY]);
	return self->job;
}

/**
 * wf_connection_prepare_write:
 * @flash_job: a restore or flash, with its inputs set
 *
 * Runs wf_flash_job_prepare() on the connected watch in a worker: the plan,
 * the method and the safety rules. Nothing is written.
 *
 * Returns: (transfer none): the running job, or %NULL
 */
WfJob *
wf_connection_prepare_write(WfConnection *self, WfFlashJob *flash_job, GError **error)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	g_return_val_if_fail(WF_IS_FLASH_JOB(flash_job), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return wf_connection_start_write(self, flash_job, FALSE, error);
}

/**
 * wf_connection_run_write:
 * @flash_job: a job that wf_connection_prepare_write() prepared
 *
 * Writes what the plan says, verifies it and resets the watch (a job that
 * inhibits suspend). Afterwards the watch is gone from the boot ROM: listen
 * again (or plug the virtual watch in again).
 *
 * Returns: (transfer none): the running job, or %NULL
 */
WfJob *
wf_connection_run_write(WfConnection *self, WfFlashJob *flash_job, GError **error)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	g_return_val_if_fail(WF_IS_FLASH_JOB(flash_job), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return wf_connection_start_write(self, flash_job, TRUE, error);
}

/**
 * wf_connection_is_writing:
 *
 * Returns: whether the running job writes to the watch
 */
gboolean
wf_connection_is_writing(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), FALSE);
	return wf_connection_is_busy(self) && self->writing;
}

void
wf_connection_cancel_job(WfConnection *self)
{
	g_return_if_fail(WF_IS_CONNECTION(self));
	if (self->job != NULL && !wf_job_is_finished(self->job))
		wf_job_cancel(self->job);
}

/* ---- getters -------------------------------------------------------------------------------- */

WfConnectionState
wf_connection_get_state(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), WF_CONNECTION_STATE_IDLE);
	return self->state;
}

/**
 * wf_connection_get_step:
 *
 * Returns: (nullable): one of the WF_CONNECTION_STEP_ ids while connecting
 */
const gchar *
wf_connection_get_step(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	return self->step;
}

const gchar *
wf_connection_get_port_path(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	return self->port_path;
}

const GError *
wf_connection_get_error(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	return self->error;
}

/**
 * wf_connection_get_device_info:
 *
 * Returns: (transfer none) (nullable): the connected watch's identity
 */
WfDeviceInfo *
wf_connection_get_device_info(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	return self->info;
}

gboolean
wf_connection_is_virtual(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), FALSE);
	return self->is_virtual;
}

/**
 * wf_connection_get_job:
 *
 * Returns: (transfer none) (nullable): the last backup job, running or not
 */
WfJob *
wf_connection_get_job(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), NULL);
	return self->job;
}

/**
 * wf_connection_is_busy:
 *
 * Returns: whether a job runs on the watch (listening does not count)
 */
gboolean
wf_connection_is_busy(WfConnection *self)
{
	g_return_val_if_fail(WF_IS_CONNECTION(self), FALSE);
	return self->job != NULL && !wf_job_is_finished(self->job);
}

void
wf_connection_set_wire_log_path(WfConnection *self, const gchar *path)
{
	g_autoptr(GError) error = NULL;

	g_return_if_fail(WF_IS_CONNECTION(self));
	g_clear_object(&self->wire_log);
	if (path == NULL)
		return;
	self->wire_log = wf_wire_log_new_for_path(path, &error);
	if (self->wire_log == NULL)
		g_warning("no wire log: %s", error->message);
}

static void
wf_connection_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	WfConnection *self = WF_CONNECTION(object);

	switch (prop_id) {
	case PROP_STATE:
		g_value_set_enum(value, self->state);
		break;
	case PROP_STEP:
		g_value_set_string(value, self->step);
		break;
	case PROP_PORT_PATH:
		g_value_set_string(value, self->port_path);
		break;
	case PROP_BUSY:
		g_value_set_boolean(value, wf_connection_is_busy(self));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
wf_connection_dispose(GObject *object)
{
	WfConnection *self = WF_CONNECTION(object);

	g_clear_handle_id(&self->relisten_id, g_source_remove);
	if (self->catch_job != NULL) {
		g_signal_handlers_disconnect_by_data(self->catch_job, self);
		wf_job_cancel(self->catch_job);
		g_clear_object(&self->catch_job);
	}
	if (self->job != NULL) {
		g_signal_handlers_disconnect_by_data(self->job, self);
		wf_job_cancel(self->job);
		g_clear_object(&self->job);
	}
	wf_connection_drop_watch(self);
	g_clear_object(&self->wire_log);
	g_clear_object(&self->log);
	G_OBJECT_CLASS(wf_connection_parent_class)->dispose(object);
}

static void
wf_connection_finalize(GObject *object)
{
	WfConnection *self = WF_CONNECTION(object);

	g_free(self->step);
	g_free(self->port_path);
	g_clear_error(&self->error);
	G_OBJECT_CLASS(wf_connection_parent_class)->finalize(object);
}

static void
wf_connection_class_init(WfConnectionClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

	object_class->get_property = wf_connection_get_property;
	object_class->dispose = wf_connection_dispose;
	object_class->finalize = wf_connection_finalize;

	properties[PROP_STATE] = g_param_spec_enum(
		"state", NULL, NULL, WF_TYPE_CONNECTION_STATE, WF_CONNECTION_STATE_IDLE, ro);
	properties[PROP_STEP] = g_param_spec_string("step", NULL, NULL, NULL, ro);
	properties[PROP_PORT_PATH] = g_param_spec_string("port-path", NULL, NULL, NULL, ro);
	properties[PROP_BUSY] = g_param_spec_boolean("busy", NULL, NULL, FALSE, ro);
	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
wf_connection_init(WfConnection *self)
{
}

/**
 * wf_connection_new:
 * @log: where to tell what happened
 */
WfConnection *
wf_connection_new(WfActivityLog *log)
{
	WfConnection *self;

	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(log), NULL);
	self = g_object_new(WF_TYPE_CONNECTION, NULL);
	self->log = g_object_ref(log);
	return self;
}
